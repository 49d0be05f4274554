using Broker.Sessions;
using Broker.Sessions.Redis;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace Broker.Server.UserCredentials;

/// <summary>Registration of users' credentials, the Data Protection key ring they are encrypted with, and restricted downloads.</summary>
public static class UserCredentialsSetup
{
    /// <summary>The application name every instance shares, so one instance decrypts what another encrypted.</summary>
    public const string ApplicationName = "vso-broker";

    /// <summary>
    /// Data Protection with its key ring in Redis when <c>Redis:Configuration</c> is set (shared by every instance), or
    /// in memory otherwise (the demo: sessions live in memory too, so nothing encrypted outlives the keys).
    /// </summary>
    public static IServiceCollection AddBrokerUserCredentials(this IServiceCollection services, IConfiguration configuration)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        if (BrokerSessionOptions.From(configuration).UsesRedis)
            services.AddOptions<KeyManagementOptions>().Configure<IRedisMultiplexerSource>((o, redis) => o.XmlRepository = new RedisKeyRing(redis));
        else
            protection.UseEphemeralDataProtectionProvider();
        services.AddSingleton<UserCredentialVault>();
        services.AddSingleton<ProviderLogouts>();
        services.AddSingleton<SessionJobCredentials>();
        services.AddSingleton<Broker.TapService.Uws.ITapJobCredentials>(sp => sp.GetRequiredService<SessionJobCredentials>());
        services.AddSingleton(DownloadOptions.From(configuration));
        services.AddSingleton<DownloadLinks>();
        services.AddSingleton<DownloadSlots>();
        services.AddSingleton<DownloadClients>();
        services.AddSingleton<RestrictedDownloads>();
        return services;
    }
}

/// <summary>Maps the user-credential and download endpoints.</summary>
public static class UserCredentialsEndpoints
{
    public static IEndpointRouteBuilder MapUserCredentials(this IEndpointRouteBuilder app) => app.MapUserCredentialsApi().MapDownloadApi();
}
