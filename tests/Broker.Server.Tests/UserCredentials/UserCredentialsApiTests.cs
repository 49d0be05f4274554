using System.Net;
using System.Net.Http.Json;
using Broker.Core.Configuration;
using Broker.Server.Tests.Rest;
using Broker.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.Server.Tests.UserCredentials;

/// <summary><c>/api/v1/sessions/current/credentials</c>: attach, list (never the values), remove; the mistakes a user makes.</summary>
public sealed class UserCredentialsApiTests : IAsyncLifetime
{
    private RestrictedArchive _archive = null!;
    private TestBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _archive = await RestrictedArchive.StartAsync();
        _broker = TestBroker.Start(RestrictedFactory.Yaml(_archive), b => b.Services.AddSingleton<IProviderFactory, RestrictedFactory>());
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _archive.DisposeAsync();
    }

    [Fact]
    public async Task Put_List_Delete_NeverShowTheValues()
    {
        var session = await Http.NewSessionAsync(_broker.BaseUrl);
        using var client = Http.Client(_broker.BaseUrl, session);
        var password = RestrictedArchive.Users["alice"];

        using var put = await client.PutCredentialsAsync("vault", new { username = "alice", password });
        var putText = await put.Content.ReadAsStringAsync();
        using var list = await client.GetAsync("/api/v1/sessions/current/credentials");
        var listText = await list.Content.ReadAsStringAsync();
        using var delete = await client.DeleteAsync("/api/v1/sessions/current/credentials/vault");
        using var again = await client.DeleteAsync("/api/v1/sessions/current/credentials/vault");
        var after = await (await client.GetAsync("/api/v1/sessions/current/credentials")).JsonAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = Assert.Single((await list.JsonAsync()).GetProperty("credentials").EnumerateArray());
        Assert.Equal(("vault", "password"), (stored.GetProperty("provider").GetString(), stored.GetProperty("kind").GetString()));
        Assert.EndsWith("Z", stored.GetProperty("setAt").GetString());
        foreach (var text in new[] { putText, listText })
        {
            Assert.DoesNotContain(password, text);
            Assert.DoesNotContain("alice", text);
        }
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(after.GetProperty("credentials").EnumerateArray());
    }

    [Fact]
    public async Task StoredValue_IsEncrypted_AndBoundToItsSession()
    {
        var session = await Http.NewSessionAsync(_broker.BaseUrl);
        using var client = Http.Client(_broker.BaseUrl, session);
        var password = RestrictedArchive.Users["bob"];
        (await client.PutCredentialsAsync("vault", new { username = "bob", password })).EnsureSuccessStatusCode();
        var store = _broker.Services.GetRequiredService<ISessionCredentialStore>();
        var other = await Http.NewSessionAsync(_broker.BaseUrl);

        var raw = Assert.Single(await store.GetCredentialsAsync(session, CancellationToken.None));
        // The same ciphertext planted in another session does not decrypt there: that session has no credential.
        await store.SetCredentialAsync(other, "vault", raw.Value, CancellationToken.None);
        var otherList = await (await Http.Client(_broker.BaseUrl, other).GetAsync("/api/v1/sessions/current/credentials")).JsonAsync();

        Assert.Equal("vault", raw.Key);
        Assert.DoesNotContain(password, raw.Value);
        Assert.DoesNotContain("bob", raw.Value);
        Assert.Empty(otherList.GetProperty("credentials").EnumerateArray());
    }

    [Fact]
    public async Task Mistakes_AreProblemsThatSayWhatToSend_WithoutEchoingSecrets()
    {
        using var client = Http.Client(_broker.BaseUrl, await Http.NewSessionAsync(_broker.BaseUrl));
        const string secret = "tok-3b9d-secret";

        using var unknown = await client.PutCredentialsAsync("nosuch", new { username = "a", password = "b" });
        using var anonymousOnly = await client.PutCredentialsAsync("open", new { username = "a", password = "b" });
        using var wrongShape = await client.PutCredentialsAsync("vault", new { token = secret });
        using var extra = await client.PutCredentialsAsync("vault", new { username = "a", password = "b", secret });
        using var notJson = await client.PutAsync("/api/v1/sessions/current/credentials/vault", new StringContent("user=a", System.Text.Encoding.UTF8, "application/json"));
        using var colon = await client.PutCredentialsAsync("vault", new { username = "a:b", password = "c" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, anonymousOnly.StatusCode);
        foreach (var r in new[] { unknown, anonymousOnly, wrongShape, extra, notJson, colon })
        {
            Assert.Equal("application/problem+json; charset=utf-8", r.Content.Headers.ContentType!.ToString());
            Assert.DoesNotContain(secret, await r.Content.ReadAsStringAsync());
        }
        foreach (var r in new[] { wrongShape, extra, notJson, colon }) Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("{\"username\": …, \"password\": …}", (await wrongShape.JsonAsync()).GetProperty("detail").GetString());
        Assert.Contains("nosuch", (await unknown.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty((await (await client.GetAsync("/api/v1/sessions/current/credentials")).JsonAsync()).GetProperty("credentials").EnumerateArray());
    }

    [Fact]
    public async Task EndingTheSession_TakesItsCredentials()
    {
        var session = await Http.NewSessionAsync(_broker.BaseUrl);
        using var client = Http.Client(_broker.BaseUrl, session);
        (await client.PutCredentialsAsync("vault", new { username = "alice", password = RestrictedArchive.Users["alice"] })).EnsureSuccessStatusCode();
        var store = _broker.Services.GetRequiredService<ISessionCredentialStore>();
        Assert.Single(await store.GetCredentialsAsync(session, CancellationToken.None));

        using var end = await client.DeleteAsync("/api/v1/sessions/current");

        Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
        Assert.Empty(await store.GetCredentialsAsync(session, CancellationToken.None));
        Assert.False(await store.SetCredentialAsync(session, "vault", "x", CancellationToken.None));
    }
}
