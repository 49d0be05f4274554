using Broker.Core.Model;
using Broker.Core.Providers;

namespace Broker.Soap.Tests.Support;

/// <summary>
/// An in-memory provider: answers from a fixed record list and resolves file ids to URLs on its data host
/// (<see cref="Url"/>, the host its providers.yaml entry registers).
/// </summary>
internal sealed class FakeAdapter(string id, IReadOnlyList<DataRecord> records, ProviderCapabilities? caps = null) : IProviderAdapter
{
    /// <summary>The provider's registered URL, its data host (<see cref="SoapBroker"/> sets its file server).</summary>
    public string Url { get; set; } = $"http://{id}.test/";
    public string Id => id;
    public ProviderCapabilities Capabilities { get; } = caps ?? new ProviderCapabilities();
    public Exception? Failure { get; set; }
    public QueryBlock? LastBlock { get; private set; }

    public Task<ProviderAnswer> SearchAsync(QueryBlock block, int maxRecords, CancellationToken cancellationToken)
    {
        LastBlock = block;
        if (Failure is not null) throw Failure;
        return Task.FromResult(new ProviderAnswer(records.Take(maxRecords).ToList(), records.Count > maxRecords, records.Count));
    }

    public Task<IReadOnlyList<FileLocation>> ResolveFilesAsync(IReadOnlyList<FileRequest> files, CancellationToken cancellationToken)
    {
        IReadOnlyList<FileLocation> result = files.Select(f => records.Any(r => r.FileId == f.FileId)
            ? new FileLocation(f.FileId, FileStatus.Ok, Url + "files/" + f.FileId)
            : new FileLocation(f.FileId, FileStatus.NotFound, Detail: "no such file")).ToList();
        return Task.FromResult(result);
    }
}

/// <summary>Records for the fake providers.</summary>
internal static class FakeBroker
{
    public static DataRecord Record(string provider, string fileId, string instrument = "EIT", double? wave = 171, double? sizeKb = 2048) => new()
    {
        Provider = provider, FileId = fileId, Source = "SOHO", Instrument = instrument, Physobs = "intensity",
        Start = new DateTimeOffset(2010, 1, 1, 0, 10, 0, TimeSpan.Zero), End = new DateTimeOffset(2010, 1, 1, 0, 10, 12, TimeSpan.Zero),
        WaveMin = wave, WaveMax = wave, WaveType = "NARROW", Extent = new Extent(Width: "1024", Length: "1024", Type: "FULLDISK"),
        SizeKb = sizeKb, Info = "EIT level 0", DataType = "IMAGE",
    };
}
