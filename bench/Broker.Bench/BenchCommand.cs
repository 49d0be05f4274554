namespace Broker.Bench;

/// <summary>Dispatches to the benchmarks; each prints its figures.</summary>
internal static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "fanout":
                return FanOutBench.RunAsync(args[1..]);
            case "votable":
                return VoTableBench.RunAsync(args[1..]);
            case "soap-vs-rest":
                return SoapVsRestBench.RunAsync(args[1..]);
            case "cache":
                return CacheBench.RunAsync(args[1..]);
            case "tap":
                return TapBench.RunAsync(args[1..]);
            default:
                Console.Error.WriteLine("usage: Broker.Bench <fanout|votable|cache|soap-vs-rest|tap> [options]");
                return Task.FromResult(args.Length == 0 ? 2 : 1);
        }
    }
}
