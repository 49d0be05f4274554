namespace Broker.Adql;

/// <summary>The bound FROM clause: its scope and a factory for the combined rows.</summary>
internal sealed record BoundFrom(Scope Scope, Func<IEnumerable<object?[]>> Rows);

/// <summary>Resolves FROM items against the catalog and plans joins (hash joins on equality keys).</summary>
internal static class FromBinder
{
    public static BoundFrom Bind(IReadOnlyList<FromItem> items, Expr? where, IAdqlCatalog catalog)
    {
        if (items.Count == 0)
        {
            throw new AdqlSemanticException("The query has no FROM clause");
        }

        var whereConjuncts = Conjuncts(where).ToList();
        var result = BindItem(items[0], catalog);
        for (var i = 1; i < items.Count; i++)
        {
            var right = BindItem(items[i], catalog);
            var scope = Scope.Concat(result.Scope, right.Scope);
            // Comma joins: use equalities from WHERE as hash keys; WHERE is still applied in full afterwards.
            var (leftKeys, rightKeys) = EquiKeys(whereConjuncts, scope, result.Scope.Width, quiet: true);
            result = new BoundFrom(
                scope,
                Join(result, right, leftKeys, rightKeys, null, leftOuter: false));
        }

        return result;
    }

    public static IEnumerable<Expr> Conjuncts(Expr? expr)
    {
        if (expr is AndExpr and)
        {
            foreach (var e in Conjuncts(and.Left))
            {
                yield return e;
            }

            foreach (var e in Conjuncts(and.Right))
            {
                yield return e;
            }
        }
        else if (expr is not null)
        {
            yield return expr;
        }
    }

    private static BoundFrom BindItem(FromItem item, IAdqlCatalog catalog)
    {
        switch (item)
        {
            case TableRef t:
                var table = catalog.FindTable(t.Table.Schema?.Name, t.Table.Name.Name)
                    ?? throw new AdqlSemanticException($"Unknown table '{t.Table}'");
                return new BoundFrom(new Scope([new SourceBinding(table, t.Alias, 0)]), () => table.Rows);
            case JoinRef j:
                return BindJoin(j, catalog);
            default:
                throw new AdqlSemanticException($"Unsupported FROM item {item.GetType().Name}");
        }
    }

    private static BoundFrom BindJoin(JoinRef join, IAdqlCatalog catalog)
    {
        if (join.Type is JoinType.Right or JoinType.Full)
        {
            throw new AdqlSemanticException($"{join.Type.ToString().ToUpperInvariant()} OUTER JOIN is not supported");
        }

        var left = BindItem(join.Left, catalog);
        var right = BindItem(join.Right, catalog);
        var scope = Scope.Concat(left.Scope, right.Scope);
        var leftWidth = left.Scope.Width;
        int[] leftKeys = [];
        int[] rightKeys = [];
        Func<object?[], object?>? condition = null;

        var usingColumns = join.Using?.ToList();
        if (join.Natural)
        {
            usingColumns = CommonColumns(left.Scope, right.Scope);
        }

        if (usingColumns is not null)
        {
            leftKeys = new int[usingColumns.Count];
            rightKeys = new int[usingColumns.Count];
            for (var i = 0; i < usingColumns.Count; i++)
            {
                var column = new ColumnRef(null, usingColumns[i]);
                leftKeys[i] = ResolveSide(left.Scope, column, "left");
                rightKeys[i] = ResolveSide(right.Scope, column, "right");
                scope.Hide(leftWidth + rightKeys[i]);
            }
        }
        else if (join.On is not null)
        {
            condition = ExprCompiler.Condition(join.On, new RowContext(scope, "ON")).Eval;
            (leftKeys, rightKeys) = EquiKeys(Conjuncts(join.On), scope, leftWidth, quiet: false);
        }
        else if (join.Type != JoinType.Cross)
        {
            throw new AdqlSemanticException("JOIN needs ON or USING");
        }

        return new BoundFrom(scope, Join(left, right, leftKeys, rightKeys, condition, join.Type == JoinType.Left));
    }

    private static int ResolveSide(Scope scope, ColumnRef column, string side)
    {
        try
        {
            return scope.Resolve(column, out _);
        }
        catch (AdqlSemanticException e)
        {
            throw new AdqlSemanticException($"JOIN USING column '{column.Name}' in the {side} table: {e.Message}");
        }
    }

    private static List<Identifier> CommonColumns(Scope left, Scope right)
    {
        IEnumerable<string> Visible(Scope s) => s.Sources.SelectMany(
            src => src.Table.Columns.Where((_, j) => !src.Hidden.Contains(j)).Select(c => c.Name));
        var rightNames = new HashSet<string>(Visible(right), StringComparer.OrdinalIgnoreCase);
        return Visible(left)
            .Where(rightNames.Contains)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(n => new Identifier(n))
            .ToList();
    }

    /// <summary>Finds <c>leftColumn = rightColumn</c> conjuncts usable as hash-join keys.</summary>
    private static (int[] Left, int[] Right) EquiKeys(IEnumerable<Expr> conjuncts, Scope scope, int leftWidth, bool quiet)
    {
        var left = new List<int>();
        var right = new List<int>();
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not ComparisonExpr { Operator: ComparisonOperator.Equal, Left: ColumnRef a, Right: ColumnRef b })
            {
                continue;
            }

            int ia, ib;
            if (quiet)
            {
                if (!scope.TryResolve(a, out ia) || !scope.TryResolve(b, out ib))
                {
                    continue;
                }
            }
            else
            {
                ia = scope.Resolve(a, out _);
                ib = scope.Resolve(b, out _);
            }

            if (ia < leftWidth && ib >= leftWidth)
            {
                left.Add(ia);
                right.Add(ib - leftWidth);
            }
            else if (ib < leftWidth && ia >= leftWidth)
            {
                left.Add(ib);
                right.Add(ia - leftWidth);
            }
        }

        return (left.ToArray(), right.ToArray());
    }

    private static Func<IEnumerable<object?[]>> Join(
        BoundFrom left,
        BoundFrom right,
        int[] leftKeys,
        int[] rightKeys,
        Func<object?[], object?>? condition,
        bool leftOuter)
    {
        var leftWidth = left.Scope.Width;
        var rightWidth = right.Scope.Width;
        return leftKeys.Length > 0
            ? () => HashJoin(left.Rows(), right.Rows(), leftKeys, rightKeys, leftWidth, rightWidth, condition, leftOuter)
            : () => NestedLoopJoin(left.Rows(), right.Rows(), leftWidth, rightWidth, condition, leftOuter);
    }

    private static IEnumerable<object?[]> HashJoin(
        IEnumerable<object?[]> leftRows,
        IEnumerable<object?[]> rightRows,
        int[] leftKeys,
        int[] rightKeys,
        int leftWidth,
        int rightWidth,
        Func<object?[], object?>? condition,
        bool leftOuter)
    {
        var lookup = new Dictionary<object?[], List<object?[]>>(KeyComparer.Instance);
        foreach (var row in rightRows)
        {
            var key = KeyOf(row, rightKeys);
            if (key is null)
            {
                continue;
            }

            if (!lookup.TryGetValue(key, out var bucket))
            {
                bucket = [];
                lookup.Add(key, bucket);
            }

            bucket.Add(row);
        }

        var matches = Probe(
            leftRows,
            row => KeyOf(row, leftKeys) is { } key && lookup.TryGetValue(key, out var bucket) ? bucket : null,
            leftWidth,
            rightWidth,
            condition,
            leftOuter);
        foreach (var combined in matches)
        {
            yield return combined;
        }
    }

    private static IEnumerable<object?[]> NestedLoopJoin(
        IEnumerable<object?[]> leftRows,
        IEnumerable<object?[]> rightRows,
        int leftWidth,
        int rightWidth,
        Func<object?[], object?>? condition,
        bool leftOuter)
    {
        var rights = rightRows.ToList();
        foreach (var combined in Probe(leftRows, _ => rights, leftWidth, rightWidth, condition, leftOuter))
        {
            yield return combined;
        }
    }

    /// <summary>
    /// Pairs each left row with the right rows <paramref name="candidates"/> gives for it (null: none) that pass the
    /// ON condition; a LEFT join keeps a left row without any match, padded with nulls.
    /// </summary>
    private static IEnumerable<object?[]> Probe(
        IEnumerable<object?[]> leftRows,
        Func<object?[], List<object?[]>?> candidates,
        int leftWidth,
        int rightWidth,
        Func<object?[], object?>? condition,
        bool leftOuter)
    {
        foreach (var row in leftRows)
        {
            var matched = false;
            if (candidates(row) is { } others)
            {
                foreach (var other in others)
                {
                    var combined = Combine(row, other, leftWidth, rightWidth);
                    if (condition is null || condition(combined) is true)
                    {
                        matched = true;
                        yield return combined;
                    }
                }
            }

            if (!matched && leftOuter)
            {
                yield return Combine(row, null, leftWidth, rightWidth);
            }
        }
    }

    private static object?[]? KeyOf(object?[] row, int[] indices)
    {
        var key = new object?[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var v = ValueOps.NormalizeKey(row[indices[i]]);
            if (v is null)
            {
                return null;
            }

            key[i] = v;
        }

        return key;
    }

    private static object?[] Combine(object?[] left, object?[]? right, int leftWidth, int rightWidth)
    {
        var combined = new object?[leftWidth + rightWidth];
        Array.Copy(left, combined, Math.Min(left.Length, leftWidth));
        if (right is not null)
        {
            Array.Copy(right, 0, combined, leftWidth, Math.Min(right.Length, rightWidth));
        }

        return combined;
    }
}
