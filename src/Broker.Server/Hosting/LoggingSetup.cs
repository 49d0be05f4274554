using Serilog;
using Serilog.Events;

namespace Broker.Server.Hosting;

/// <summary>Serilog from configuration (section <c>Serilog</c>), console by default; plugged into Microsoft.Extensions.Logging.</summary>
public static class LoggingSetup
{
    public static void UseBrokerSerilog(this WebApplicationBuilder builder)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (builder.Configuration.GetSection("Serilog").Exists())
            config.ReadFrom.Configuration(builder.Configuration);
        // Settings that only change levels still log somewhere: the console unless sinks are configured.
        if (!builder.Configuration.GetSection("Serilog:WriteTo").Exists())
            config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
        var logger = config.CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }
}
