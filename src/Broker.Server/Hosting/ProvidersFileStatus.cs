using Broker.Core.Configuration;
using Broker.Core.Services;

namespace Broker.Server.Hosting;

/// <summary>
/// Whether the running registry is what providers.yaml says: after a broken edit the broker keeps serving the last good
/// registry, and says so on <c>/api/v1/providers</c> (<c>providersFile</c>) and <c>/health/ready</c> (degraded).
/// </summary>
public sealed class ProvidersFileStatus(ProvidersFileLocation location, TimeProvider time) : IReadinessCheck
{
    private volatile Snapshot _current = new(location.Path, time.GetUtcNow(), null, null);

    /// <summary>What /api/v1/providers shows: the file, when it was last loaded, and the errors of a later broken edit.</summary>
    public sealed record Snapshot(string File, DateTimeOffset LoadedAt, DateTimeOffset? FailedAt, IReadOnlyList<string>? Errors)
    {
        public string Status => Errors is null ? "loaded" : "invalid";
    }

    public Snapshot Current => _current;

    public void Loaded() => _current = new Snapshot(location.Path, time.GetUtcNow(), null, null);

    public void Failed(ConfigException ex) =>
        _current = _current with { FailedAt = time.GetUtcNow(), Errors = ex.Errors.Select(e => e.ToString()).ToList() };

    public Task<ReadinessResult> CheckAsync(CancellationToken cancellationToken)
    {
        var s = _current;
        return Task.FromResult(s.Errors is null
            ? new ReadinessResult("providers-file", ReadinessStatus.Healthy, $"{s.File} loaded at {s.LoadedAt:O}")
            : new ReadinessResult("providers-file", ReadinessStatus.Degraded,
                $"{s.File} is invalid since {s.FailedAt:O}; serving the registry loaded at {s.LoadedAt:O}: {string.Join("; ", s.Errors)}"));
    }
}
