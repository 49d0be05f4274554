using Broker.Core.Model;

namespace Broker.Core.Services;

/// <summary>Finds the records a session was given, so GetData can route bare file ids to the provider that returned them.</summary>
public interface IRecordLookup
{
    /// <summary>Returns the known records by file id (ids the session never saw are absent).</summary>
    Task<IReadOnlyDictionary<string, DataRecord>> FindAsync(string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken);
}

/// <summary>No stored results: GetData callers must name the provider of each file.</summary>
public sealed class NoRecordLookup : IRecordLookup
{
    public static readonly NoRecordLookup Instance = new();
    public Task<IReadOnlyDictionary<string, DataRecord>> FindAsync(string sessionId, IReadOnlyCollection<string> fileIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, DataRecord>>(new Dictionary<string, DataRecord>());
}
