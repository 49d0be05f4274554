using System.Text;
using Broker.Simulators.Faults;
using Broker.Simulators.Files;
using Broker.Simulators.Tap;
using Broker.Simulators.Uws;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Broker.Simulators.Hosting;

/// <summary>
/// The single request handler of the simulator listener: <c>/{provider}/tap/...</c> and <c>/{provider}/data</c>.
/// Request-level faults (latency, HTTP 500, hang) are applied here, before any endpoint runs.
/// </summary>
internal sealed class SimulatorRouter(TimeProvider time, ILogger logger, CancellationToken stopping)
{
    private IReadOnlyDictionary<string, SimulatedProvider> _providers = new Dictionary<string, SimulatedProvider>();

    /// <summary>Installs the providers once their data is generated (the listener starts first to learn its port).</summary>
    public void SetProviders(IReadOnlyDictionary<string, SimulatedProvider> providers) => Volatile.Write(ref _providers, providers);

    public async Task HandleAsync(HttpContext http)
    {
        http.Response.Headers.Server = "BrokerSimulator/1.0";
        var providers = Volatile.Read(ref _providers);
        var segments = (http.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            await Text(http, 200, "Simulated providers: " + string.Join(", ", providers.Keys) + "\n").ConfigureAwait(false);
            return;
        }

        if (!providers.TryGetValue(segments[0], out var provider))
        {
            await Text(http, 404, $"No simulated provider '{segments[0]}'.\n").ConfigureAwait(false);
            return;
        }

        provider.Counters.Request();
        var fault = provider.Faults.Next();
        try
        {
            // Delays end when the client goes away or the simulator stops (so disposal never waits on a hang).
            using var waits = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
            if (fault.Latency > TimeSpan.Zero) await Task.Delay(fault.Latency, time, waits.Token).ConfigureAwait(false);
            if (fault.Spec.Hang)
            {
                provider.Counters.Fault();
                await Task.Delay(Timeout.InfiniteTimeSpan, time, waits.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            if (http.RequestAborted.IsCancellationRequested) provider.Counters.Aborted();
            return; // the client went away while we were delaying or hanging
        }

        if (fault.Fail)
        {
            provider.Counters.Fault();
            await Text(http, 500, "Simulated internal server error.\n").ConfigureAwait(false);
            return;
        }

        var caller = provider.Auth.Check(http.Request);
        if (caller == Auth.Caller.Refused)
        {
            provider.Auth.Refused();
            // Wrong or expired credentials are refused on every path, as the real services do.
            http.Response.Headers.WWWAuthenticate = provider.Options.Auth == Auth.SimulatedAuthScheme.Bearer ? "Bearer error=\"invalid_token\"" : "Basic realm=\"" + provider.Name + "\"";
            await Text(http, 401, "Invalid or expired credentials.\n").ConfigureAwait(false);
            return;
        }
        http.Items[AuthorisedKey] = caller == Auth.Caller.Authorised;

        try
        {
            if (await AuthEndpointAsync(http, provider, segments[1..]).ConfigureAwait(false)) return;
            var rest = segments.AsSpan(1);
            if (rest.Length >= 1 && rest[0] == "tap") await new TapEndpoints(provider, fault, time).HandleAsync(http, segments[2..]).ConfigureAwait(false);
            else if (rest.Length == 1 && rest[0] == "soap" && provider.Options.Kind == SimulatorKind.Vsoi)
                await Soap.VsoiEndpoint.HandleAsync(http, provider, fault).ConfigureAwait(false);
            else if (rest.Length == 1 && rest[0] == "data") await DataEndpoint.HandleAsync(http, provider, fault).ConfigureAwait(false);
            else if (rest.Length == 1 && provider.Options.DataLink && rest[0] == "links") await SimulatedLinks.LinksAsync(http, provider, fault).ConfigureAwait(false);
            else if (rest.Length == 1 && provider.Options.DataLink && rest[0] == "preview") await SimulatedLinks.PreviewAsync(http, provider).ConfigureAwait(false);
            else if (rest.Length == 1 && provider.Options.DataLink && rest[0] == "soda") await SimulatedLinks.SodaAsync(http, provider).ConfigureAwait(false);
            else await Text(http, 404, "Unknown resource.\n").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // client gone
        }
        catch (Exception e) when (!http.Response.HasStarted)
        {
            logger.LogError(e, "Simulator {ProviderId} failed on {Path}", provider.Name, http.Request.Path.Value);
            await Text(http, 500, "Simulator error: " + e.Message + "\n").ConfigureAwait(false);
        }
    }

    private const string AuthorisedKey = "sim.authorised";

    /// <summary>True when the request carried valid credentials for its provider.</summary>
    public static bool IsAuthorised(HttpContext http) => http.Items[AuthorisedKey] is true;

    /// <summary>The token endpoint (Bearer providers) and TAP+ login/logout (TapLogin providers).</summary>
    private static async Task<bool> AuthEndpointAsync(HttpContext http, SimulatedProvider provider, string[] rest)
    {
        if (!HttpMethods.IsPost(http.Request.Method)) return false;
        switch (provider.Options.Auth, rest)
        {
            case (Auth.SimulatedAuthScheme.Bearer, ["auth", "token"]):
                await provider.Auth.TokenAsync(http).ConfigureAwait(false);
                return true;
            case (Auth.SimulatedAuthScheme.TapLogin, ["tap", "login"]):
                await provider.Auth.LoginAsync(http).ConfigureAwait(false);
                return true;
            case (Auth.SimulatedAuthScheme.TapLogin, ["tap", "logout"]):
                await provider.Auth.LogoutAsync(http).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    public static async Task Text(HttpContext http, int status, string text, string contentType = "text/plain; charset=utf-8")
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(text);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    public static async Task Bytes(HttpContext http, int status, byte[] bytes, string contentType)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes, http.RequestAborted).ConfigureAwait(false);
    }

    public static void SeeOther(HttpContext http, string absoluteUrl)
    {
        http.Response.StatusCode = StatusCodes.Status303SeeOther;
        http.Response.Headers.Location = absoluteUrl;
    }
}
