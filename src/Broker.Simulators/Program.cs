using System.CommandLine;
using Broker.Simulators;

var portOption = new Option<int?>("--port") { Description = "TCP port on 127.0.0.1 (default 8090, or the config file's port)." };
var configOption = new Option<FileInfo?>("--config") { Description = "YAML file describing the simulated providers (default: soar, sdo, nrh)." };
var root = new RootCommand("Simulated solar data providers (TAP: SOAR-like, ObsCore, EPN-TAP) with fault injection, on 127.0.0.1.")
{
    portOption,
    configOption,
};

root.SetAction(async (parse, ct) =>
{
    var port = parse.GetValue(portOption);
    var config = parse.GetValue(configOption);
    SimulatorOptions options;
    try
    {
        options = config is null
            ? SimulatorOptions.CreateDefault(port ?? 8090)
            : SimulatorConfigFile.Parse(await File.ReadAllTextAsync(config.FullName, ct), port);
    }
    catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"error: {e.Message}");
        return 2;
    }

    RunningSimulators running;
    try
    {
        running = await SimulatorHost.StartAsync(options, ct);
    }
    catch (Exception e) when (e is ArgumentException or NotSupportedException or IOException)
    {
        await Console.Error.WriteLineAsync($"error: {e.Message}");
        return 2;
    }

    await using (running)
    {
        foreach (var name in running.ProviderNames)
        {
            Console.WriteLine($"{name,-12} {running.Options(name).Kind,-8} {running.BaseUrl(name)}  (data: {running.DataUrl(name)})");
        }

        Console.WriteLine("Press Ctrl-C to stop.");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C
        }
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
