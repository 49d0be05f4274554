using Microsoft.Extensions.Hosting;

namespace Broker.Simulators.Hosting;

/// <summary>
/// Host lifetime that ignores process signals. The simulator is embedded (tests, the demo, the CLI) and its owner
/// decides when to stop; the default console lifetime would swallow Ctrl-C/SIGTERM of the whole process.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
