using Broker.Core.Configuration;
using Broker.Core.Services;
using Broker.Core.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Registry.Jobs;

/// <summary>Registers <see cref="OrphanedJobs"/>, its store (PostgreSQL when configured, memory otherwise) and the janitor.</summary>
internal static class OrphanedJobsSetup
{
    public static void AddOrphanedJobs(this IServiceCollection services, IConfiguration configuration, bool usesPostgres)
    {
        services.AddSingleton(ReadOptions(configuration.GetSection("OrphanedJobs")));
        if (usesPostgres) services.AddSingleton<IOrphanedJobStore, PostgresOrphanedJobStore>();
        else services.AddSingleton<IOrphanedJobStore, InMemoryOrphanedJobStore>();
        services.AddSingleton(sp => new OrphanedJobs(sp.GetRequiredService<IOrphanedJobStore>(), sp.GetRequiredService<OrphanedJobOptions>(),
            sp.GetService<BrokerMetrics>() ?? new BrokerMetrics(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<OrphanedJobs>>() ?? NullLogger<OrphanedJobs>.Instance));
        services.AddHostedService<OrphanedJobJanitor>();
    }

    /// <summary>Reads <c>OrphanedJobs:SweepInterval|RetryInitial|RetryMax|MaxAge</c> (durations: 250ms, 30s, 1h, 7d).</summary>
    private static OrphanedJobOptions ReadOptions(IConfigurationSection section)
    {
        var d = new OrphanedJobOptions();
        TimeSpan Duration(string key, TimeSpan fallback)
        {
            var text = section[key];
            if (string.IsNullOrWhiteSpace(text)) return fallback;
            if (ConfigSection.TryParseDuration(text, out var value) && value > TimeSpan.Zero) return value;
            throw new ArgumentException($"OrphanedJobs:{key} '{text}' is not a duration (examples: 250ms, 2s, 1h)");
        }
        return new OrphanedJobOptions
        {
            SweepInterval = Duration(nameof(d.SweepInterval), d.SweepInterval),
            RetryInitial = Duration(nameof(d.RetryInitial), d.RetryInitial),
            RetryMax = Duration(nameof(d.RetryMax), d.RetryMax),
            MaxAge = Duration(nameof(d.MaxAge), d.MaxAge),
        };
    }
}
