using System.Globalization;

namespace Broker.Bench;

/// <summary>
/// The headline figures of a benchmark as machine-readable lines (<c>RATIO name value goal</c>, tab-separated), which
/// scripts/bench.sh gathers from every benchmark of the run into one table with the machine's load average.
/// </summary>
internal static class Ratios
{
    public static void Add(string name, double value, string goal) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RATIO\t{name}\t{value:0.00}\t{goal}"));
}
