using System.Diagnostics;
using System.Globalization;
using System.Net;
using Broker.EndToEnd.Tests.Infrastructure;
using Broker.Simulators;
using Broker.Testing;

namespace Broker.EndToEnd.Tests.Tap;

/// <summary>
/// The takeover of <see cref="TapJobTakeoverTests"/> with a real crash: the instance running an async TAP job is a
/// broker process of its own, killed with SIGKILL mid-run (no shutdown code runs, its connections just drop); a second
/// instance on the same PostgreSQL and Redis takes the job over once the lease runs out and finishes it.
/// </summary>
[Trait("Category", "Heavy")]
public sealed class TapJobProcessKillTests
{

    [Fact]
    public async Task AsyncJob_FinishesOnAnotherInstance_AfterTheProcessRunningItIsKilled()
    {
        await using var cluster = await TapJobTakeoverTests.SharedStores.StartAsync("tap_kill");
        var (postgres, sims, yaml, settings) = (cluster.Postgres, cluster.Sims, cluster.Yaml, cluster.Settings);
        var dir = Directory.CreateTempSubdirectory("broker-kill").FullName;
        var providers = Path.Combine(dir, "providers.yaml");
        await File.WriteAllTextAsync(providers, yaml);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(2) };

        using var child = StartBroker(providers, settings, out var childUrl);
        try
        {
            await Wait.UntilAsync(async () => !child.HasExited && await AnswersAsync(http, new Uri(childUrl, "health/live")),
                TimeSpan.FromSeconds(90), "the broker process to listen");
            using (var hello = await http.GetAsync(new Uri(childUrl, "api/v1/providers")))
                http.DefaultRequestHeaders.Add("VSO-Session", hello.Headers.GetValues("VSO-Session").Single());
            // The provider is slow while the child process runs the job.
            sims.SetFault("soar", new FaultSpec { Latency = TimeSpan.FromSeconds(60) });
            using var create = await http.PostAsync(new Uri(childUrl, "tap/async"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["LANG"] = "ADQL", ["QUERY"] = TapJobTakeoverTests.Query, ["FORMAT"] = "csv", ["PHASE"] = "RUN",
            }));
            Assert.Equal(HttpStatusCode.SeeOther, create.StatusCode);
            var job = create.Headers.Location!.Segments.Last();
            await Wait.UntilAsync(async () => await http.GetStringAsync(new Uri(childUrl, $"tap/async/{job}/phase")) == "EXECUTING",
                TimeSpan.FromSeconds(60), "the broker process to run the job");

            await using var second = await BrokerHost.StartAsync(yaml, settings);
            Assert.Equal("EXECUTING", await PhaseAsync(http, second, job));

            child.Kill(entireProcessTree: true); // SIGKILL: no lease release, no shutdown, nothing written.
            await child.WaitForExitAsync();
            sims.SetFault("soar", FaultSpec.None);

            await TapJobTakeoverTests.AssertFinishedOnSecondAsync(http, second, job, postgres, "tap_kill");
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The production broker (the Broker.Server program next to this test assembly) as its own process on a free port.</summary>
    private static Process StartBroker(string providers, IReadOnlyDictionary<string, string> settings, out Uri url)
    {
        url = new Uri($"http://127.0.0.1:{LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture)}/");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Broker.Server.dll"));
        foreach (var a in new[] { "--providers", providers, "--urls", url.ToString().TrimEnd('/'), "--Serilog:MinimumLevel:Default=Warning" })
            start.ArgumentList.Add(a);
        foreach (var (key, value) in settings) start.ArgumentList.Add($"--{key}={value}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the broker process");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url)
    {
        try
        {
            using var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static Task<string> PhaseAsync(HttpClient http, BrokerHost broker, string job, int wait = 0) =>
        TapJobTakeoverTests.PhaseAsync(http, broker, job, wait);
}
