using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Broker.Simulators.Hosting;
using Microsoft.AspNetCore.Http;

namespace Broker.Simulators.Auth;

/// <summary>How a simulated provider wants credentials.</summary>
public enum SimulatedAuthScheme
{
    /// <summary>Everything public, no credentials.</summary>
    None,
    /// <summary>HTTP Basic (TAO style).</summary>
    Basic,
    /// <summary>Bearer tokens from <c>POST /{name}/auth/token</c> (client_credentials or password grant), short-lived (ESO style).</summary>
    Bearer,
    /// <summary>ESAC TAP+ login: <c>POST /{name}/tap/login</c> sets a JSESSIONID cookie; <c>/tap/logout</c> ends it.</summary>
    TapLogin,
}

/// <summary>What a request to a simulated provider proved about its caller.</summary>
internal enum Caller
{
    /// <summary>No credentials: public rows and files only.</summary>
    Anonymous,
    /// <summary>Valid credentials: restricted rows and files too.</summary>
    Authorised,
    /// <summary>Credentials presented but wrong or expired: HTTP 401.</summary>
    Refused,
}

/// <summary>
/// The provider side of credentials for a simulator: checks Basic, bearer tokens it issued, or TAP+ session cookies,
/// and serves the token and login endpoints. Tokens and sessions expire on the simulator's clock.
/// </summary>
internal sealed class SimulatedAuth(SimulatedProviderOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private int _issued, _logins, _logouts, _refusals;
    private readonly ConcurrentQueue<string> _everIssued = new();

    /// <summary>Every token and session cookie value issued (tests scan logs and answers for them).</summary>
    public IReadOnlyCollection<string> EverIssued => _everIssued.ToArray();

    /// <summary>Tokens issued so far (tests watch renewals).</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>Requests refused for wrong or expired credentials so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>Counts a refused request (the router answers it 401).</summary>
    public void Refused() => Interlocked.Increment(ref _refusals);

    /// <summary>Successful TAP+ logins so far.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>TAP+ logouts that ended a live session so far.</summary>
    public int Logouts => Volatile.Read(ref _logouts);

    /// <summary>TAP+ sessions live now (logged in, not logged out, not expired on the simulator's clock).</summary>
    public int LiveSessions => _sessions.Count(s => time.GetUtcNow() < s.Value);

    public Caller Check(HttpRequest request)
    {
        switch (options.Auth)
        {
            case SimulatedAuthScheme.Basic:
                if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var basic) || basic.Scheme != "Basic") return Caller.Anonymous;
                string decoded;
                try
                {
                    decoded = Encoding.UTF8.GetString(Convert.FromBase64String(basic.Parameter ?? ""));
                }
                catch (FormatException)
                {
                    return Caller.Refused;
                }
                return Same(decoded, options.Username + ":" + options.Password) ? Caller.Authorised : Caller.Refused;
            case SimulatedAuthScheme.Bearer:
                if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var bearer) || bearer.Scheme != "Bearer") return Caller.Anonymous;
                return Valid(_tokens, bearer.Parameter) ? Caller.Authorised : Caller.Refused;
            case SimulatedAuthScheme.TapLogin:
                var cookie = request.Cookies["JSESSIONID"];
                if (cookie is null) return Caller.Anonymous;
                return Valid(_sessions, cookie) ? Caller.Authorised : Caller.Refused;
            default:
                return Caller.Anonymous;
        }
    }

    /// <summary>POST /{name}/auth/token: an OAuth2 token response, or 400/401 as an OAuth2 server answers.</summary>
    public async Task TokenAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : null;
        var grant = form?["grant_type"].ToString();
        var ok = grant switch
        {
            "client_credentials" => Same(form!["client_id"].ToString(), options.Username) && Same(form["client_secret"].ToString(), options.Password),
            "password" => Same(form!["username"].ToString(), options.Username) && Same(form["password"].ToString(), options.Password),
            _ => false,
        };
        if (!ok)
        {
            http.Response.StatusCode = grant is "client_credentials" or "password" ? 401 : 400;
            await http.Response.WriteAsJsonAsync(new { error = grant is null ? "unsupported_grant_type" : "invalid_client" }, http.RequestAborted).ConfigureAwait(false);
            return;
        }
        var token = NewSecret();
        _tokens[token] = time.GetUtcNow() + options.TokenLifetime;
        _everIssued.Enqueue(token);
        Interlocked.Increment(ref _issued);
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            access_token = token, token_type = "Bearer", expires_in = (long)options.TokenLifetime.TotalSeconds,
        }), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>POST /{name}/tap/login (form username, password): 200 and a JSESSIONID cookie, or 401.</summary>
    public async Task LoginAsync(HttpContext http)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : null;
        if (form is null || !Same(form["username"].ToString(), options.Username) || !Same(form["password"].ToString(), options.Password))
        {
            await SimulatorRouter.Text(http, 401, "Invalid username or password.\n").ConfigureAwait(false);
            return;
        }
        var session = NewSecret();
        _sessions[session] = time.GetUtcNow() + options.TokenLifetime;
        _everIssued.Enqueue(session);
        Interlocked.Increment(ref _logins);
        http.Response.Headers.SetCookie = $"JSESSIONID={session}; Path=/{options.Name}/; HttpOnly";
        await SimulatorRouter.Text(http, 200, "OK\n").ConfigureAwait(false);
    }

    /// <summary>POST /{name}/tap/logout: ends the session of the cookie.</summary>
    public Task LogoutAsync(HttpContext http)
    {
        if (http.Request.Cookies["JSESSIONID"] is { } cookie && _sessions.TryRemove(cookie, out _)) Interlocked.Increment(ref _logouts);
        return SimulatorRouter.Text(http, 200, "OK\n");
    }

    private bool Valid(ConcurrentDictionary<string, DateTimeOffset> issued, string? value)
    {
        if (value is null || !issued.TryGetValue(value, out var expires)) return false;
        if (time.GetUtcNow() < expires) return true;
        issued.TryRemove(value, out _);
        return false;
    }

    private static bool Same(string? given, string? expected) =>
        given is not null && expected is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
