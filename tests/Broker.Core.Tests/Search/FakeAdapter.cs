using Broker.Core.Configuration;
using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Core.Tests.Search;

/// <summary>A provider whose behaviour each test scripts; counts calls and sees cancellations.</summary>
internal sealed class FakeAdapter(string id, ProviderCapabilities? capabilities = null) : IProviderAdapter, IRemoteJobCleanup
{
    /// <summary>What a job DELETE answers (null = the provider confirmed); every URL asked is in <see cref="DeleteRequests"/>.</summary>
    public Func<Uri, string?> DeleteJob { get; set; } = _ => null;
    public System.Collections.Concurrent.ConcurrentQueue<Uri> DeleteRequests { get; } = new();

    public Task<string?> DeleteJobAsync(Uri jobUrl, CancellationToken cancellationToken)
    {
        DeleteRequests.Enqueue(jobUrl);
        return Task.FromResult(DeleteJob(jobUrl));
    }

    private int _calls;
    public string Id => id;
    private ProviderCapabilities _capabilities = capabilities ?? new ProviderCapabilities();

    public ProviderCapabilities Capabilities
    {
        get
        {
            CapabilitiesRead?.Invoke();
            return _capabilities;
        }
        set => _capabilities = value;
    }

    /// <summary>Runs whenever the planner reads the capabilities (to change state in the middle of a search).</summary>
    public Action? CapabilitiesRead { get; set; }
    public Func<QueryBlock, CancellationToken, Task<ProviderAnswer>> Behaviour { get; set; } =
        (_, _) => Task.FromResult(ProviderAnswer.Empty);
    public int Calls => Volatile.Read(ref _calls);
    public int Cancellations;

    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return await Behaviour(block, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref Cancellations);
            throw;
        }
    }

    /// <summary>What GetData answers per file (default: a URL on this provider); may throw like a failing provider.</summary>
    public Func<FileRequest, FileLocation> Resolve { get; set; } = f => new FileLocation(f.FileId, FileStatus.Ok, $"http://127.0.0.1/{id}/{f.FileId}");

    public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FileLocation>>(files.Select(Resolve).ToList());

    public static DataRecord Record(string provider, string fileId, DateTimeOffset start, string? instrument = null, double? wave = null) => new()
    {
        Provider = provider, FileId = fileId, Start = start, End = start.AddMinutes(1), Instrument = instrument,
        WaveMin = wave, WaveMax = wave,
    };
}

/// <summary>A factory for the fake type, so tests go through the real registry building code.</summary>
internal sealed class FakeFactory(Dictionary<string, FakeAdapter> adapters) : IProviderFactory
{
    public string Type => "fake";

    public IProviderAdapter Create(ProviderConfig config, ProviderFactoryContext context)
    {
        if (!adapters.TryGetValue(config.Id, out var a)) adapters[config.Id] = a = new FakeAdapter(config.Id);
        a.Capabilities = config.Capabilities;
        return a;
    }
}
