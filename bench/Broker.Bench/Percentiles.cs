using System.Globalization;

namespace Broker.Bench;

/// <summary>Latency samples in milliseconds and their percentiles.</summary>
internal sealed class Percentiles(IEnumerable<double> samples)
{
    private readonly double[] _sorted = samples.Order().ToArray();

    public int Count => _sorted.Length;

    /// <summary>Nearest-rank percentile (p in 0–100).</summary>
    public double At(double p)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public string Summary() => string.Create(CultureInfo.InvariantCulture, $"p50 {At(50):0.00} ms, p99 {At(99):0.00} ms, max {At(100):0.00} ms (n={Count})");
}
