using System.Security.Cryptography;
using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Broker.Testing;
using Broker.Soap.Mapping;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.UserCredentials;

/// <summary>
/// README's recipe for SunPy users, run with Debian's sunpy (VSOClient through the VSOi door): credentials stored with a
/// REST call in the session that zeep's requests.Session then carries; the search shows the user's restricted records
/// and fetch downloads them (broker links) byte-identical.
/// </summary>
public sealed class SunpyCredentialsTests
{
    [Fact]
    public async Task VsoClient_InASessionWithCredentials_FindsAndFetchesRestrictedFiles()
    {
        await using var archive = await RestrictedArchive.StartAsync();
        await using var broker = TestBroker.Start(RestrictedFactory.Yaml(archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>());
        var target = Directory.CreateTempSubdirectory("sunpy-credentials").FullName;

        var run = await PythonScript.RunAsync(Path.Combine(AppContext.BaseDirectory, "compat", "sunpy_vso_credentials.py"),
            [broker.BaseUrl.ToString(), "vault", "VAULT", "2022/03/21 00:00", "2022/03/22 00:00", target],
            new Dictionary<string, string> { ["VSOBROKER_USER"] = "alice", ["VSOBROKER_PASSWORD"] = RestrictedArchive.Users["alice"] });

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var fileIds = lines.Where(l => l.TryGetProperty("fileid", out _)).Select(l => l.GetProperty("fileid").GetString()!).ToList();
        Assert.Equal(3, fileIds.Count(id => id.StartsWith("alice-restricted-", StringComparison.Ordinal)));
        Assert.DoesNotContain(fileIds, id => id.StartsWith("bob-", StringComparison.Ordinal));
        // zeep reads the restricted mark from the records' info (VSOi has no field for it); public records have none.
        var infos = lines.Where(l => l.TryGetProperty("zeep", out _)).ToDictionary(l => l.GetProperty("zeep").GetString()!,
            l => l.GetProperty("info").ValueKind == JsonValueKind.String ? l.GetProperty("info").GetString() : null);
        Assert.Equal(fileIds.Order(), infos.Keys.Order());
        foreach (var (id, info) in infos)
            Assert.Equal(id.Contains("-restricted-", StringComparison.Ordinal) ? VsoiQueryMapper.RestrictedInfo : null, info);
        var files = lines.Where(l => l.TryGetProperty("sha256", out _)).ToDictionary(l => l.GetProperty("file").GetString()!, l => l.GetProperty("sha256").GetString()!);
        // sunpy names each file after the link's last segment (the file id), with '-' made '_'.
        Assert.Equal(fileIds.Select(Saved).Order(), files.Keys.Order());
        foreach (var id in fileIds)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(RestrictedArchive.Content(id))), files[Saved(id)]);
        Directory.Delete(target, recursive: true);
    }

    private static string Saved(string fileId) => fileId.Replace('-', '_');
}
