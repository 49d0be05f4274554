using Broker.Core.Model;
using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public sealed class FileResolverFailoverTests
{
    private readonly EngineHarness _h = new(EngineHarness.Yaml(EngineHarness.Entry("a"), EngineHarness.Entry("b"), EngineHarness.Entry("c")));

    private static FileRequest Request(string id, params (string Provider, string FileId)[] alsoAt) => new(id, new DataRecord
    {
        Provider = "a", FileId = id, AlsoAt = alsoAt.Length == 0 ? null : alsoAt.Select(x => new RecordAlternative(x.Provider, x.FileId)).ToList(),
    });

    [Fact]
    public async Task ResolveAsync_FirstProviderFails_EachFileIsServedByTheNextAlternativeThatHasIt()
    {
        _h["a"].Resolve = _ => throw new ProviderException("HTTP 503 from a");
        _h["b"].Resolve = f => f.FileId == "b2" ? new FileLocation(f.FileId, FileStatus.NotFound, Detail: "unknown") : new FileLocation(f.FileId, FileStatus.Ok, "http://127.0.0.1/b/" + f.FileId);
        var resolver = new FileResolver(_h.Catalog, TimeProvider.System);

        var result = Assert.Single(await resolver.ResolveAsync(
            [new FileGroup("a", [Request("f1", ("b", "b1")), Request("f2", ("b", "b2"), ("c", "c2")), Request("f3")])], null, default));

        Assert.Equal(ProviderStatus.Error, result.Status);
        Assert.Equal(FileGroupStatus.Partial, result.Summary);
        Assert.Equal(["f1", "f2", "f3"], result.Files.Select(f => f.FileId));
        Assert.Equal(("http://127.0.0.1/b/b1", new RecordAlternative("b", "b1")), (result.Files[0].Url, result.Files[0].ServedBy));
        Assert.Equal(("http://127.0.0.1/c/c2", new RecordAlternative("c", "c2")), (result.Files[1].Url, result.Files[1].ServedBy));
        Assert.Contains("HTTP 503 from a", result.Files[1].Detail);
        Assert.Equal(FileStatus.Error, result.Files[2].Status);
    }

    [Fact]
    public async Task ResolveAsync_FirstProviderAnswers_NoAlternativeIsAsked()
    {
        var resolver = new FileResolver(_h.Catalog, TimeProvider.System);
        var calls = 0;
        _h["b"].Resolve = f => { calls++; return new FileLocation(f.FileId, FileStatus.Ok, "http://127.0.0.1/b"); };

        var result = Assert.Single(await resolver.ResolveAsync([new FileGroup("a", [Request("f1", ("b", "b1"))])], null, default));

        Assert.Equal(FileGroupStatus.Ok, result.Summary);
        Assert.Null(result.Files[0].ServedBy);
        Assert.Equal(0, calls);
    }
}
