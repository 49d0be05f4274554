using System.Net;
using Broker.Core.Configuration;
using Broker.Core.Credentials;
using Broker.Core.Providers;

namespace Broker.Server.Credentials;

/// <summary>
/// The one place where credentials go out: first in each provider's HTTP pipeline, so every call to the provider —
/// sync, async/UWS, VOSI, GetData lookups and URL checks — passes it. A request to the provider's own host and port gets
/// the caller's credential for this provider when the call runs for a caller who has one
/// (<see cref="CallerCredentials.Current"/>), else the broker's service credential from providers.yaml, else none. A
/// request to any other address gets nothing. A refusal is renewed once where there is something to renew (a login
/// cookie, a token), then becomes a <see cref="ProviderUnauthorizedException"/> that says whose credential failed.
/// </summary>
internal sealed class ProviderCredentialHandler : DelegatingHandler
{
    private readonly ProviderConfig _provider;
    private readonly ProviderCredentials _credentials;
    private readonly RequestAuthenticator? _service;
    private readonly SendRaw _raw;

    public ProviderCredentialHandler(ProviderConfig provider, ProviderCredentials credentials, HttpMessageHandler inner) : base(inner)
    {
        _provider = provider;
        _credentials = credentials;
        _service = credentials.ForService(provider);
        _raw = (request, ct) => base.SendAsync(request, ct);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } url || !RegistryHosts.SameService(url, _provider.Url))
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var caller = CallerCredentials.Current?.For(_provider.Id);
        var authenticator = caller is null ? _service : _credentials.ForCaller(_provider, caller);
        var owner = caller is not null ? Owner.Caller : authenticator is not null ? Owner.Service : Owner.None;
        if (authenticator is null)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
            response.Dispose();
            throw new ProviderUnauthorizedException(Message(owner, null));
        }
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var applied = await authenticator.ApplyAsync(request, _raw, cancellationToken).ConfigureAwait(false);
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!await authenticator.IsRefusedAsync(response, cancellationToken).ConfigureAwait(false)) return response;
                var status = (int)response.StatusCode;
                response.Dispose();
                if (attempt > 0 || !await authenticator.RenewAsync(applied, cancellationToken).ConfigureAwait(false))
                    throw new ProviderUnauthorizedException(Message(owner, $"HTTP {status}"));
            }
        }
        catch (CredentialRefusedException ex)
        {
            throw new ProviderUnauthorizedException(Message(owner, ex.Message), ex);
        }
        catch (InvalidOperationException ex) when (owner == Owner.Service)
        {
            // A service secret that vanished after start-up (an env var or file removed): the operator's to fix.
            throw new ProviderUnauthorizedException($"the broker's credentials for {Name} cannot be read ({ex.Message}); the broker's operator must fix providers.yaml auth of '{_provider.Id}'", ex);
        }
    }

    private string Name => _provider.Title ?? _provider.Id;

    private string Message(Owner owner, string? detail)
    {
        var why = detail is null ? "" : $" ({detail})";
        return owner switch
        {
            Owner.Caller => $"{Name} refused the credentials of this session{why}: log in again, or check the username and password stored for '{_provider.Id}' (PUT /api/v1/sessions/current/credentials/{_provider.Id})",
            Owner.Service => $"{Name} refused the broker's own credentials{why}: the broker's operator must renew them (providers.yaml auth of '{_provider.Id}'); you can add your own to your session",
            _ => $"{Name} requires credentials{why}: add yours to your session (PUT /api/v1/sessions/current/credentials/{_provider.Id})",
        };
    }

    private enum Owner
    {
        None,
        Service,
        Caller,
    }
}
