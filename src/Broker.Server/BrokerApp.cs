using Broker.Core.Configuration;
using Broker.Core.Search;
using Broker.Core.Services;
using Broker.Core.Validation;
using Broker.Providers.Tap;
using Broker.Server.Hosting;
using Broker.Server.OpenApi;
using Broker.Server.Rest;
using Broker.Server.Sessions;
using Broker.Server.Soap;
using Broker.Server.Tap;
using Broker.Server.UserCredentials;
using Broker.Server.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Broker.Server;

/// <summary>
/// The one composition root: configuration, logging, provider registry, stores (in-memory by default; Redis and
/// PostgreSQL when configured) and every front door (REST, SOAP, health).
/// </summary>
public static class BrokerApp
{
    /// <summary>Default listen URL of the demo.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>Builds the broker. <paramref name="configure"/> lets tests add settings or services before the build.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string> { ["--providers"] = ProvidersLoader.FileKey });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.UseBrokerSerilog();
        builder.AddBrokerTelemetry();
        builder.Services.AddBrokerCompression();
        builder.Services.AddBrokerHealthChecks();
        var brokerOptions = builder.Configuration.GetSection("Broker").Get<BrokerOptions>() ?? new BrokerOptions();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = brokerOptions.MaxRequestBytes);
        builder.AddBrokerErrorResponses(brokerOptions);
        configure?.Invoke(builder);
        AddBrokerServices(builder.Services, builder.Configuration, brokerOptions);

        var app = builder.Build();
        // Load providers.yaml now: a broken file must stop start-up with every error listed.
        _ = app.Services.GetRequiredService<IProviderCatalog>();
        // Behind the load balancer (deploy/nginx-broker.conf): the caller's scheme, host and address, so WSDL addresses
        // are https when the caller used https and rate limits count callers, not the proxy. Only loopback proxies
        // are trusted by default (ForwardedHeaders:KnownProxies adds others).
        app.UseBrokerErrorResponses();
        app.UseForwardedHeaders();
        app.UseBrokerRequestLogging();
        app.UseResponseCompression();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBrokerWebClient();
        app.UseBrokerSessions();
        app.MapBrokerOpenApi();
        app.MapSearchApi();
        app.MapSearchStreamApi();
        app.MapProvidersApi();
        app.MapVocabularyApi();
        app.MapGetDataApi();
        app.MapCartApi();
        app.MapSessionApi();
        app.MapUserCredentials();
        app.MapVsoSoap();
        app.MapHealthApi();
        app.MapBrokerMetrics();
        app.MapTapService();
        return app;
    }

    /// <summary>Runs the broker; a broken providers file stops start-up with every error listed (exit code 2).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        await app.RunAsync();
        return 0;
    }

    private static void AddBrokerServices(IServiceCollection services, IConfiguration configuration, BrokerOptions brokerOptions)
    {
        // Stores first: the registry's schema migration must be the first hosted service to start.
        services.AddBrokerRegistry(configuration);
        services.AddBrokerSessions(configuration);
        services.AddBrokerCarts(configuration);
        services.AddBrokerUserCredentials(configuration);
        services.AddTapProviders();
        services.AddSoapProviders();
        services.AddSingleton<IProvidersChangedHandler, RegistrySyncHandler>();

        services.AddSingleton(brokerOptions);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => BrokerJson.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost;
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
                if (System.Net.IPAddress.TryParse(proxy, out var address)) o.KnownProxies.Add(address);
        });
        services.AddBrokerOpenApi();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(configuration.GetSection("Search").Get<SearchOptions>() ?? new SearchOptions());
        services.AddSingleton(configuration.GetSection("Search").Get<QueryLimits>() ?? new QueryLimits());
        services.AddSingleton<QueryNormalizer>();

        services.AddSingleton<Credentials.ProviderCredentials>();
        services.AddSingleton<ProviderHttp>();
        services.AddSingleton(sp => new ProviderFactoryContext(
            sp.GetRequiredService<ProviderHttp>().For, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ProvidersLoader>();
        services.AddSingleton(new ProvidersFileLocation(configuration[ProvidersLoader.FileKey] ?? "providers.yaml"));
        services.AddSingleton<LoadedProviders>();
        services.AddSingleton<ProvidersFileStatus>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<ProvidersFileStatus>());
        services.AddSingleton(sp =>
        {
            var (configs, registry) = sp.GetRequiredService<ProvidersLoader>().Load(sp.GetRequiredService<ProvidersFileLocation>().Path);
            sp.GetRequiredService<LoadedProviders>().Configs = configs;
            return new ProviderCatalog(registry);
        });
        services.AddSingleton<IProviderCatalog>(sp => sp.GetRequiredService<ProviderCatalog>());
        services.AddHostedService<ProvidersReloader>();

        services.TryAddSingleton<IAnswerCache>(NoAnswerCache.Instance);
        services.TryAddSingleton<IRecordLookup>(NoRecordLookup.Instance);
        services.TryAddSingleton<IProviderMetadataStore, InMemoryProviderMetadataStore>();
        services.AddSingleton<SearchEngine>();
        services.AddSingleton<FileResolver>();
        services.AddSingleton((configuration.GetSection(UrlVerifierOptions.Section).Get<UrlVerifierOptions>() ?? new UrlVerifierOptions()).Validated());
        services.AddTapService(configuration);
    }
}
