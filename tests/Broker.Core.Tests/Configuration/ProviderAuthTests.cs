using Broker.Core.Configuration;

namespace Broker.Core.Tests.Configuration;

public class ProviderAuthTests
{
    private static string Yaml(string auth) =>
        "providers:\n  p:\n    type: tap\n    url: https://archive.example.org/tap\n    auth:\n" + auth;

    [Fact]
    public void EachScheme_IsReadWithItsSources()
    {
        var basic = ProvidersFile.Parse(Yaml("      scheme: basic\n      username: broker\n      password: env:P_PASS\n"), "t.yaml")[0].Auth!;
        var bearer = ProvidersFile.Parse(Yaml("      scheme: bearer\n      token: file:/run/secrets/tok\n"), "t.yaml")[0].Auth!;
        var oidc = ProvidersFile.Parse(Yaml(
            "      scheme: oidc\n      tokenUrl: https://archive.example.org/oidc/token\n      clientId: broker\n      clientSecret: env:CS\n      scope: openid\n"), "t.yaml")[0].Auth!;
        var login = ProvidersFile.Parse(Yaml("      scheme: tapLogin\n"), "t.yaml")[0].Auth!;

        Assert.Equal((AuthScheme.Basic, SecretSourceKind.Literal, "broker"), (basic.Scheme, basic.Username!.Kind, basic.Username.Name));
        Assert.Equal(new SecretSource(SecretSourceKind.Environment, "P_PASS"), basic.Password);
        Assert.Equal(new SecretSource(SecretSourceKind.File, "/run/secrets/tok"), bearer.Token);
        Assert.Equal((AuthScheme.Oidc, OidcGrant.ClientCredentials, "openid"), (oidc.Scheme, oidc.Grant, oidc.Scope));
        Assert.True(oidc.HasServiceCredential);
        Assert.Equal(AuthScheme.TapLogin, login.Scheme);
        Assert.False(login.HasServiceCredential);
    }

    [Fact]
    public void LiteralSecret_IsAnErrorAtItsLineThatDoesNotRepeatIt()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ProvidersFile.Parse(Yaml("      scheme: basic\n      username: broker\n      password: hunter2-literal\n"), "t.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal((8, "providers.p.auth.password"), (error.Line, error.Key));
        Assert.Contains("env:", error.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void TokenUrlOnAnotherHost_IsAcceptedOnlyWhenDeclared()
    {
        const string elsewhere = "      scheme: oidc\n      tokenUrl: https://www.eso.example/sso/oidc/token\n      clientId: x\n      clientSecret: env:S\n";

        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(Yaml(elsewhere), "t.yaml"));
        var declared = ProvidersFile.Parse(Yaml(elsewhere + "      tokenUrlOnOtherHost: true\n"), "t.yaml")[0].Auth!;

        Assert.Contains("tokenUrlOnOtherHost: true", Assert.Single(ex.Errors).Message);
        Assert.Equal(("www.eso.example", true), (declared.TokenUrl!.Host, declared.TokenUrlOnOtherHost));
    }

    [Theory]
    [InlineData("      scheme: oidc\n      tokenUrl: https://sso.elsewhere.org/token\n      clientId: x\n      clientSecret: env:S\n", "tokenUrl")]
    [InlineData("      scheme: tapLogin\n      loginUrl: http://127.0.0.2/login\n", "loginUrl")]
    [InlineData("      scheme: kerberos\n", "scheme")]
    [InlineData("      scheme: basic\n      username: broker\n", "password")]
    [InlineData("      scheme: bearer\n      token: \"env:\"\n", "token")]
    [InlineData("      scheme: bearer\n", "token")]
    [InlineData("      scheme: bearer\n      token: file:relative/path\n", "token")]
    public void BadAuth_IsAnErrorAtTheKey(string auth, string key)
    {
        var ex = Assert.Throws<ConfigException>(() => ProvidersFile.Parse(Yaml(auth), "t.yaml"));

        Assert.Contains(ex.Errors, e => e.Key == "providers.p.auth." + key);
    }
}
