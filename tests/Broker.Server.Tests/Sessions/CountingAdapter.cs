using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Server.Tests.Sessions;

/// <summary>A provider that answers from memory and counts how often it was asked (to see cache hits and coalescing).</summary>
internal sealed class CountingAdapter(int recordsPerSearch = 25) : IProviderAdapter
{
    private int _searches;

    public string Id => "fake";
    public ProviderCapabilities Capabilities { get; } = new();
    /// <summary>When set, every search waits for it (a test holds a provider call open, then lets it go).</summary>
    public Task? Gate { get; set; }
    public int Searches => Volatile.Read(ref _searches);

    public async Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _searches);
        if (Gate is { } gate) await gate.WaitAsync(cancellationToken);
        var records = Enumerable.Range(0, recordsPerSearch).Select(i => new DataRecord
        {
            Provider = Id, FileId = $"{block.Instrument ?? "any"}-{i:D4}", Instrument = block.Instrument,
            Start = block.Time.Start.AddSeconds(i), End = block.Time.Start.AddSeconds(i + 1), SizeKb = 1024 + i,
        }).Take(maxRecords).ToList();
        return new ProviderAnswer(records);
    }

    public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FileLocation>>(files
            .Select(f => new FileLocation(f.FileId, FileStatus.Ok, $"http://127.0.0.1:9/files/{f.FileId}")).ToList());
}
