using System.Text.Json;
using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Search;
using Broker.Server.OpenApi;
using Broker.Server.Rest;
using Broker.Server.Sessions;
using Broker.Sessions;

namespace Broker.Server.UserCredentials;

/// <summary>
/// <c>/api/v1/sessions/current/credentials</c>: a user attaches their own credentials for a provider to their session
/// (PUT), removes them (DELETE) and lists which providers have some (GET, never the values). Searches, GetData and
/// downloads of that session then use them for that provider only.
/// </summary>
public static class UserCredentialsApi
{
    public const string Path = SessionApi.SessionsPath + "/current/credentials";
    private const string ProblemBase = "https://virtualsolar.org/broker/problems/";

    /// <summary>The body of PUT: <c>username</c> and <c>password</c>, or <c>token</c>, as the provider's scheme asks.</summary>
    public sealed record CredentialBody(string? Username, string? Password, string? Token);

    /// <summary>The listing: the providers this session has credentials for.</summary>
    public sealed record CredentialList(IReadOnlyList<UserCredentialVault.StoredCredentialInfo> Credentials);

    public static IEndpointRouteBuilder MapUserCredentialsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Credentials").WithUtf8Problems();
        group.MapGet("", ListAsync)
            .Produces<CredentialList>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Which providers this session has credentials for (kind and when set; never the values)");
        group.MapPut("/{provider}", PutAsync)
            .WithParameter("provider", "A provider id of the registry whose providers.yaml entry has an auth scheme", "vault")
            .Accepts<CredentialBody>("application/json").WithRequestExample(new CredentialBody("your-username", "your-password", null))
            .Produces<UserCredentialVault.StoredCredentialInfo>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Attach your own credentials for a provider to this session: {\"username\",\"password\"} or {\"token\"}, as the provider's scheme asks")
            .WithDescription("Stored only encrypted, used only for that provider, gone when the session ends. Searches of that provider then " +
                             "bypass the shared cache and their results stay in this session.");
        group.MapDelete("/{provider}", DeleteAsync)
            .WithParameter("provider", "A provider id this session has credentials for", "vault")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Remove this session's credentials for a provider");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, UserCredentialVault vault)
    {
        if (SessionHttp.GetSessionId(http) is not { } sessionId) return SessionApi.NoSession(http);
        return await Guard(http, async () => Results.Ok(new CredentialList(await vault.ListAsync(sessionId, http.RequestAborted))));
    }

    private static async Task<IResult> PutAsync(HttpContext http, UserCredentialVault vault, IProviderCatalog catalog, string provider)
    {
        if (SessionHttp.GetSessionId(http) is not { } sessionId) return SessionApi.NoSession(http);
        if (catalog.Current.Find(provider) is not { } runtime)
            return Problems.Problem(StatusCodes.Status404NotFound, "Unknown provider",
                $"There is no provider '{provider}' in the registry (GET /api/v1/providers lists them).", ProblemBase + "unknown-provider");
        if (runtime.Config.Auth is not { } auth)
            return Problems.Problem(StatusCodes.Status400BadRequest, "The provider takes no credentials",
                $"Provider '{runtime.Id}' serves everything anonymously; it has no credentials to add.", ProblemBase + "no-credentials");
        var (credential, problem) = await ReadAsync(http, runtime.Id, auth.Scheme);
        if (problem is not null) return problem;
        await ProviderLogouts.EndAsync(http, sessionId, runtime.Id); // the login made with the credential this one replaces
        return await Guard(http, async () =>
        {
            if (!await vault.SetAsync(sessionId, runtime.Id, credential!, http.RequestAborted)) return SessionApi.NoSession(http);
            var stored = (await vault.ListAsync(sessionId, http.RequestAborted)).FirstOrDefault(c => c.Provider == runtime.Id.ToLowerInvariant());
            return stored is null ? SessionApi.NoSession(http) : Results.Ok(stored);
        });
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, UserCredentialVault vault, string provider)
    {
        if (SessionHttp.GetSessionId(http) is not { } sessionId) return SessionApi.NoSession(http);
        await ProviderLogouts.EndAsync(http, sessionId, provider);
        return await Guard(http, async () => await vault.RemoveAsync(sessionId, provider, http.RequestAborted)
            ? Results.NoContent()
            : Problems.Problem(StatusCodes.Status404NotFound, "Not found", $"This session has no credentials for '{provider}'."));
    }

    /// <summary>
    /// Reads the body the provider's scheme asks for. Messages name the members, never their values: a secret sent by
    /// mistake in the wrong member is not echoed.
    /// </summary>
    private static async Task<(ProviderCredential? Credential, IResult? Problem)> ReadAsync(HttpContext http, string providerId, AuthScheme scheme)
    {
        var (takesPassword, takesToken) = scheme switch
        {
            AuthScheme.Basic or AuthScheme.TapLogin => (true, false),
            AuthScheme.Bearer => (false, true),
            _ => (true, true), // OIDC: a token the user obtained, or a username and password for the password grant
        };
        var wanted = (takesPassword, takesToken) switch
        {
            (true, false) => "{\"username\": …, \"password\": …}",
            (false, true) => "{\"token\": …}",
            _ => "{\"token\": …} or {\"username\": …, \"password\": …}",
        };
        IResult Bad(string detail) => Problems.BadRequest("The credentials are not valid",
            $"{detail} Provider '{providerId}' (auth scheme {scheme.ToString().ToLowerInvariant()}) takes {wanted}.");

        Dictionary<string, string> members;
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, Bad("The body must be a JSON object."));
            members = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var p in document.RootElement.EnumerateObject())
            {
                if (p.Name.ToLowerInvariant() is not ("username" or "password" or "token"))
                    return (null, Bad($"Unknown member '{p.Name}'."));
                if (p.Value.ValueKind != JsonValueKind.String) return (null, Bad($"'{p.Name}' must be a string."));
                members[p.Name] = p.Value.GetString()!;
            }
        }
        catch (JsonException)
        {
            return (null, Bad("The body is not JSON."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Problem(ex.StatusCode, "The request cannot be read", ex.Message));
        }

        var hasToken = members.TryGetValue("token", out var token);
        var hasUser = members.TryGetValue("username", out var username);
        var hasPassword = members.TryGetValue("password", out var password);
        try
        {
            if (hasToken && !hasUser && !hasPassword && takesToken) return (ProviderCredential.Token(token!), null);
            if (hasUser && hasPassword && !hasToken && takesPassword) return (ProviderCredential.Password(username!, password!), null);
        }
        catch (ArgumentException ex)
        {
            return (null, Bad(char.ToUpperInvariant(ex.Message[0]) + ex.Message[1..].Split(" (Parameter")[0] + "."));
        }
        return (null, Bad(members.Count == 0 ? "The body is empty." : $"Got {string.Join(" and ", members.Keys.Select(k => $"'{k}'"))}."));
    }

    private static async Task<IResult> Guard(HttpContext http, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (SessionStoreUnavailableException ex)
        {
            return SessionApi.Unavailable(http, ex);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // The key ring could not be read or written (Redis down while the ring was loaded): nothing was stored.
            return SessionApi.Unavailable(http, null);
        }
    }
}
