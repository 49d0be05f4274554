using System.Text.Json;
using Broker.Core.Credentials;

namespace Broker.Core.Tests.Credentials;

public class ProviderCredentialTests
{
    private const string Password = "pa55-Secret!word";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.token-secret.sig";

    [Fact]
    public void ToStringAndJson_NeverShowTheSecretOrUsername()
    {
        var password = ProviderCredential.Password("alice", Password);
        var token = ProviderCredential.Token(Token);
        var callers = new CallerCredentials([new("soar", password), new("eso", token)]);

        var texts = new[]
        {
            password.ToString(), token.ToString(), callers.ToString(), $"{password} {token}",
            JsonSerializer.Serialize(password), JsonSerializer.Serialize(token), JsonSerializer.Serialize(new { password, token }),
        };

        Assert.All(texts, t => Assert.DoesNotContain(Password, t));
        Assert.All(texts, t => Assert.DoesNotContain("token-secret", t));
        Assert.All(texts, t => Assert.DoesNotContain("alice", t));
        Assert.Equal("""{"kind":"password"}""", JsonSerializer.Serialize(password));
        Assert.Equal(Password, password.RevealSecret());
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Deserialize<ProviderCredential>("""{"kind":"token"}"""));
    }

    [Theory]
    [InlineData("", "p")]
    [InlineData("a:b", "p")]
    [InlineData("alice", "")]
    [InlineData("alice", "line\r\nX-Injected: 1")]
    public void Password_RefusesValuesThatCannotGoIntoAHeader(string username, string password) =>
        Assert.ThrowsAny<ArgumentException>(() => ProviderCredential.Password(username, password));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tok\nen")]
    public void Token_RefusesBlanksAndControlCharacters(string token) =>
        Assert.ThrowsAny<ArgumentException>(() => ProviderCredential.Token(token));

    [Fact]
    public void Fingerprint_DiffersPerSecretAndDoesNotContainIt()
    {
        var a = ProviderCredential.Password("alice", Password);
        var b = ProviderCredential.Password("alice", Password + "x");

        Assert.Equal(a.Fingerprint(), ProviderCredential.Password("alice", Password).Fingerprint());
        Assert.NotEqual(a.Fingerprint(), b.Fingerprint());
        Assert.DoesNotContain(Password, a.Fingerprint());
        Assert.Equal(a, ProviderCredential.Password("alice", Password));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public async Task Current_FlowsIntoAsyncCallsAndIsRestoredAfterwards()
    {
        var mine = new CallerCredentials([new("SOAR", ProviderCredential.Token("t"))]);
        ProviderCredential? seen;
        using (CallerCredentials.Use(mine))
        {
            seen = await Task.Run(async () => { await Task.Yield(); return CallerCredentials.Current?.For("soar"); });
        }

        Assert.NotNull(seen);
        Assert.Null(CallerCredentials.Current);
        Assert.False(mine.Has("other"));
    }
}
