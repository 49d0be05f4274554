using System.Globalization;
using Broker.Core.Model;
using Broker.Core.Units;

namespace Broker.Core.Validation;

/// <summary>Turns caller text into a validated <see cref="NormalizedQuery"/>, collecting every error.</summary>
public sealed class QueryNormalizer(QueryLimits limits)
{
    /// <summary>Normalizes the blocks or throws <see cref="QueryValidationException"/> listing all problems.</summary>
    public NormalizedQuery Normalize(IReadOnlyList<QueryBlockInput> inputs)
    {
        var errors = new List<QueryError>();
        if (inputs.Count == 0)
            throw new QueryValidationException([new QueryError("query", "the query is empty: give at least a time range (start and end)")]);
        if (inputs.Count > limits.MaxBlocks)
            errors.Add(new QueryError("query", $"{inputs.Count} blocks given; at most {limits.MaxBlocks} are allowed"));

        var blocks = new List<QueryBlock>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var prefix = inputs.Count == 1 ? "" : $"blocks[{i}].";
            var block = NormalizeBlock(inputs[i], prefix, errors);
            if (block is not null) blocks.Add(block);
        }
        if (errors.Count > 0) throw new QueryValidationException(errors);
        return new NormalizedQuery(blocks);
    }

    private QueryBlock? NormalizeBlock(QueryBlockInput input, string prefix, List<QueryError> errors)
    {
        var before = errors.Count;
        var start = ParseTime(input.Start, prefix + "start", required: true, errors);
        var end = ParseTime(input.End, prefix + "end", required: true, errors);
        var near = ParseTime(input.Near, prefix + "near", required: false, errors);
        if (start is { } s && end is { } e)
        {
            if (s > e)
                errors.Add(new QueryError(prefix + "start", $"start {SolarTime.ToIso(s)} is after end {SolarTime.ToIso(e)}"));
            else if (e - s > limits.MaxTimeRange)
                errors.Add(new QueryError(prefix + "end",
                    $"the time range spans {(e - s).TotalDays:0.#} days; at most {limits.MaxTimeRange.TotalDays:0.#} days are allowed per block"));
        }

        var wave = ParseWave(input, prefix, errors);
        var block = new QueryBlock
        {
            Time = new TimeRange(start ?? default, end ?? default, near),
            Provider = Clean(input.Provider, prefix + "provider", errors),
            Source = Vocabulary.Normalize(QueryAttribute.Source, Clean(input.Source, prefix + "source", errors)),
            Instrument = Clean(input.Instrument, prefix + "instrument", errors),
            Detector = Clean(input.Detector, prefix + "detector", errors),
            Physobs = Vocabulary.Normalize(QueryAttribute.Physobs, Clean(input.Physobs, prefix + "physobs", errors)),
            Level = Vocabulary.Normalize(QueryAttribute.Level, Clean(input.Level, prefix + "level", errors)),
            Wave = wave,
            Extent = ParseExtent(input, prefix, errors),
            Pixels = Clean(input.Pixels, prefix + "pixels", errors),
            Resolution = Clean(input.Resolution, prefix + "resolution", errors),
            Sample = Clean(input.Sample, prefix + "sample", errors),
            Filter = Clean(input.Filter, prefix + "filter", errors),
        };
        return errors.Count == before ? block : null;
    }

    private WaveRange? ParseWave(QueryBlockInput input, string prefix, List<QueryError> errors)
    {
        var type = Clean(input.WaveType, prefix + "wavetype", errors);
        if (input.WaveMin is null && input.WaveMax is null && input.WaveUnit is null)
            return type is null ? null : new WaveRange(0, double.PositiveInfinity, type);

        double? min = ParseNumber(input.WaveMin ?? input.WaveMax, prefix + "wavemin", errors);
        double? max = ParseNumber(input.WaveMax ?? input.WaveMin, prefix + "wavemax", errors);
        var unitText = string.IsNullOrWhiteSpace(input.WaveUnit) ? "Angstrom" : input.WaveUnit;
        if (!WaveUnit.TryParse(unitText, out var unit))
        {
            errors.Add(new QueryError(prefix + "waveunit",
                $"unknown wavelength unit '{Truncate(unitText)}'; use one of {string.Join(", ", WaveUnit.KnownNames)}"));
            return null;
        }
        if (min is not { } lo || max is not { } hi) return null;
        if (lo > hi)
        {
            errors.Add(new QueryError(prefix + "wavemin", $"wavemin {lo.ToString(CultureInfo.InvariantCulture)} is greater than wavemax {hi.ToString(CultureInfo.InvariantCulture)}"));
            return null;
        }
        if (lo < 0 || (unit.IsInverse && lo <= 0))
        {
            errors.Add(new QueryError(prefix + "wavemin", $"wavelength values must be positive ({unit.Name})"));
            return null;
        }
        var (a, b) = unit.RangeToAngstrom(lo, hi);
        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            errors.Add(new QueryError(prefix + "wavemin", $"the wavelength range is outside what can be represented in Angstrom ({unit.Name})"));
            return null;
        }
        return new WaveRange(a, b, type);
    }

    private Extent? ParseExtent(QueryBlockInput input, string prefix, List<QueryError> errors)
    {
        var extent = new Extent(
            Clean(input.ExtentX, prefix + "extent.x", errors), Clean(input.ExtentY, prefix + "extent.y", errors),
            Clean(input.ExtentWidth, prefix + "extent.width", errors), Clean(input.ExtentLength, prefix + "extent.length", errors),
            Clean(input.ExtentType, prefix + "extent.type", errors));
        return extent.IsEmpty ? null : extent;
    }

    private static DateTimeOffset? ParseTime(string? text, string field, bool required, List<QueryError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(new QueryError(field, $"{LastPart(field)} is required (ISO 8601 such as 2022-03-21T00:00:00Z, or YYYYMMDDHHMMSS)"));
            return null;
        }
        if (SolarTime.TryParse(text, out var value)) return value;
        errors.Add(new QueryError(field, $"'{Truncate(text)}' is not a time; use ISO 8601 (2022-03-21T00:00:00Z) or YYYYMMDDHHMMSS"));
        return null;
    }

    private static double? ParseNumber(string? text, string field, List<QueryError> errors)
    {
        if (text is null) return null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        errors.Add(new QueryError(field, $"'{Truncate(text)}' is not a number"));
        return null;
    }

    private string? Clean(string? text, string field, List<QueryError> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (t.Length > limits.MaxValueLength)
        {
            errors.Add(new QueryError(field, $"the value is {t.Length} characters long; at most {limits.MaxValueLength} are allowed"));
            return null;
        }
        if (t.Any(char.IsControl))
        {
            errors.Add(new QueryError(field, "the value contains control characters"));
            return null;
        }
        return t;
    }

    private static string LastPart(string field) => field[(field.LastIndexOf('.') + 1)..];

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
