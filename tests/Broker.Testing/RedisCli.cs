using System.Diagnostics;

namespace Broker.Testing;

/// <summary>Runs Debian's <c>redis-cli</c> (cluster creation, CLUSTER INFO, SENTINEL and INFO replies of many lines).</summary>
public static class RedisCli
{
    /// <summary>Runs redis-cli with these arguments and returns its standard output; throws when it cannot run or exits non-zero.</summary>
    public static async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"redis-cli {string.Join(' ', arguments)} did not finish within 60 s: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
        // redis-cli writes its [ERR] lines to standard output.
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"redis-cli {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        return await output.ConfigureAwait(false);
    }
}
