using System.Text.RegularExpressions;
using Broker.Simulators.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Broker.Simulators;

/// <summary>Starts simulated providers on one Kestrel listener bound to 127.0.0.1.</summary>
public static partial class SimulatorHost
{
    /// <summary>
    /// Binds 127.0.0.1:<see cref="SimulatorOptions.Port"/> (0 = any free port), generates every provider's data
    /// (deterministic from its seed) and starts serving. Dispose the result to stop.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options: duplicate or malformed names, bad counts or years.</exception>
    /// <exception cref="NotSupportedException">A provider kind that is not implemented (Vsoi).</exception>
    public static async Task<RunningSimulators> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var stopping = new CancellationTokenSource();
        var router = new SimulatorRouter(options.TimeProvider, loggerFactory.CreateLogger("Broker.Simulators"), stopping.Token);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 10 * 1024 * 1024;
            k.Listen(System.Net.IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var port = new Uri(address).Port;
            var root = $"http://127.0.0.1:{port}";
            var generated = await Task.WhenAll(options.Providers.Select(p =>
                Task.Run(() => new SimulatedProvider(p, root, options.TimeProvider), cancellationToken))).ConfigureAwait(false);
            var providers = generated.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            router.SetProviders(providers);
            return new RunningSimulators(app, stopping, new Uri(root), port, providers, options.Providers.Select(p => p.Name).ToList());
        }
        catch
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            stopping.Dispose();
            throw;
        }
    }

    private static void Validate(SimulatorOptions options)
    {
        if (options.Port is < 0 or > 65535) throw new ArgumentException($"Port {options.Port} is out of range 0-65535.", nameof(options));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in options.Providers)
        {
            if (p is null) throw new ArgumentException("A provider entry is null.", nameof(options));
            if (string.IsNullOrWhiteSpace(p.Name) || !NamePattern().IsMatch(p.Name))
                throw new ArgumentException($"Provider name '{p.Name}' must be letters, digits, '-' or '_'.", nameof(options));
            if (!seen.Add(p.Name)) throw new ArgumentException($"Provider name '{p.Name}' is used twice.", nameof(options));
            if (p.RecordCount is < 0 or > 5_000_000)
                throw new ArgumentException($"Provider '{p.Name}': RecordCount {p.RecordCount} must be in 0..5,000,000.", nameof(options));
            if (p.StartYear < 1990 || p.EndYear > 2100 || p.EndYear < p.StartYear)
                throw new ArgumentException($"Provider '{p.Name}': years {p.StartYear}-{p.EndYear} are not a valid range.", nameof(options));
            if (p.DefaultMaxRec < 0 || p.HardMaxRec < p.DefaultMaxRec)
                throw new ArgumentException($"Provider '{p.Name}': need 0 <= DefaultMaxRec <= HardMaxRec.", nameof(options));
            if (p.Faults is null) throw new ArgumentException($"Provider '{p.Name}': Faults must not be null.", nameof(options));
            if (p.Faults.ErrorRate is < 0 or > 1) throw new ArgumentException($"Provider '{p.Name}': ErrorRate must be in 0..1.", nameof(options));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
