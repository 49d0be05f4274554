namespace Broker.Adql;

/// <summary>Running state of one aggregate function over one group.</summary>
internal abstract class Accumulator
{
    public abstract object? Result { get; }

    public static Accumulator Create(string name, bool distinct)
    {
        Accumulator inner = name switch
        {
            "COUNT" => new CountAccumulator(),
            "SUM" => new SumAccumulator(),
            "AVG" => new AvgAccumulator(),
            "MIN" => new ExtremeAccumulator(max: false),
            "MAX" => new ExtremeAccumulator(max: true),
            _ => throw new AdqlSemanticException($"Unknown aggregate function {name}"),
        };
        return distinct ? new DistinctAccumulator(inner) : inner;
    }

    /// <summary>Adds one value; nulls are ignored except by COUNT(*).</summary>
    public abstract void Add(object? value);

    private sealed class CountAccumulator : Accumulator
    {
        private long _count;

        public override object? Result => _count;

        public override void Add(object? value)
        {
            if (value is not null)
            {
                _count++;
            }
        }
    }

    private sealed class SumAccumulator : Accumulator
    {
        private long _long;
        private double _double;
        private bool _isDouble;
        private bool _any;

        public override object? Result => !_any ? null : _isDouble ? (object)_double : _long;

        public override void Add(object? value)
        {
            if (value is null)
            {
                return;
            }

            _any = true;
            if (!_isDouble && ValueOps.TryInteger(value, out var l))
            {
                try
                {
                    _long = checked(_long + l);
                    return;
                }
                catch (OverflowException)
                {
                    _isDouble = true;
                    _double = (double)_long + l;
                    return;
                }
            }

            if (ValueOps.TryNumber(value, out var d))
            {
                if (!_isDouble)
                {
                    _isDouble = true;
                    _double = _long;
                }

                _double += d;
            }
        }
    }

    private sealed class AvgAccumulator : Accumulator
    {
        private double _sum;
        private long _count;

        public override object? Result => _count == 0 ? null : _sum / _count;

        public override void Add(object? value)
        {
            if (ValueOps.TryNumber(value, out var d))
            {
                _sum += d;
                _count++;
            }
        }
    }

    private sealed class ExtremeAccumulator(bool max) : Accumulator
    {
        private object? _best;

        public override object? Result => _best;

        public override void Add(object? value)
        {
            if (value is null)
            {
                return;
            }

            if (_best is null)
            {
                _best = value;
                return;
            }

            var c = ValueOps.Compare(value, _best) ?? 0;
            if (max ? c > 0 : c < 0)
            {
                _best = value;
            }
        }
    }

    private sealed class DistinctAccumulator(Accumulator inner) : Accumulator
    {
        private readonly HashSet<object> _seen = [];

        public override object? Result => inner.Result;

        public override void Add(object? value)
        {
            if (value is not null && _seen.Add(ValueOps.NormalizeKey(value)!))
            {
                inner.Add(value);
            }
        }
    }
}

/// <summary>COUNT(*): counts every row.</summary>
internal sealed class CountStarAccumulator : Accumulator
{
    private long _count;

    public override object? Result => _count;

    public override void Add(object? value) => _count++;
}
