using Broker.Core.Providers;
using Broker.Core.Search;

namespace Broker.Core.Tests.Search;

public sealed class FileGroupSummaryTests
{
    private static FileLocation File(FileStatus status) =>
        new("f", status, status is FileStatus.Ok or FileStatus.Unverified ? "http://127.0.0.1/f" : null);

    [Theory]
    [InlineData(new[] { FileStatus.Ok, FileStatus.Ok }, FileGroupStatus.Ok)]
    [InlineData(new[] { FileStatus.Ok, FileStatus.Unverified }, FileGroupStatus.Unverified)]
    [InlineData(new[] { FileStatus.Unverified }, FileGroupStatus.Unverified)]
    [InlineData(new[] { FileStatus.Ok, FileStatus.NotFound }, FileGroupStatus.Partial)]
    [InlineData(new[] { FileStatus.Unverified, FileStatus.Broken }, FileGroupStatus.Partial)]
    [InlineData(new[] { FileStatus.NotFound, FileStatus.Broken }, FileGroupStatus.NotFound)]
    [InlineData(new[] { FileStatus.NotFound, FileStatus.Error }, FileGroupStatus.Error)]
    public void Of_AnsweredCall_SumsUpTheFiles(FileStatus[] files, FileGroupStatus expected) =>
        Assert.Equal(expected, FileGroupSummary.Of(ProviderStatus.Ok, files.Select(File).ToList()));

    [Theory]
    [InlineData(ProviderStatus.Timeout, FileGroupStatus.Timeout)]
    [InlineData(ProviderStatus.CircuitOpen, FileGroupStatus.CircuitOpen)]
    [InlineData(ProviderStatus.Error, FileGroupStatus.Error)]
    public void Of_FailedCall_IsTheCallsStatus(ProviderStatus call, FileGroupStatus expected) =>
        Assert.Equal(expected, FileGroupSummary.Of(call, [File(FileStatus.Error)]));

    [Fact]
    public void Of_UrlWithoutText_DoesNotCountAsAUrl() =>
        Assert.Equal(FileGroupStatus.NotFound, FileGroupSummary.Of(ProviderStatus.Ok, [new FileLocation("f", FileStatus.Ok, Url: "")]));
}
