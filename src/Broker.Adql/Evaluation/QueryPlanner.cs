namespace Broker.Adql;

/// <summary>A planned query: output metadata and a factory for the ordered, projected rows (before TOP/OFFSET/MAXREC).</summary>
internal sealed record QueryPlan(IReadOnlyList<AdqlColumn> Columns, Func<IEnumerable<object?[]>> Rows);

/// <summary>Binds a statement and assembles the row pipeline: FROM → WHERE → GROUP/HAVING or projection → DISTINCT → ORDER BY.</summary>
internal static class QueryPlanner
{
    public static QueryPlan Plan(SelectStatement statement, IAdqlCatalog catalog)
    {
        var from = FromBinder.Bind(statement.From, statement.Where, catalog);
        var rowContext = new RowContext(from.Scope, "WHERE");
        var where = statement.Where is null ? null : ExprCompiler.Condition(statement.Where, rowContext).Eval;

        var grouped = statement.GroupBy.Count > 0
            || statement.Having is not null
            || statement.Items.OfType<ExpressionItem>().Any(i => ExprWalker.ContainsAggregate(i.Expression))
            || statement.OrderBy.Any(o => ExprWalker.ContainsAggregate(o.Expression));

        GroupContext? groupContext = grouped ? new GroupContext(from.Scope, statement.GroupBy) : null;
        IBindingContext outputContext = (IBindingContext?)groupContext ?? new RowContext(from.Scope, "the select list");

        var outputs = Project(statement.Items, from.Scope, outputContext, grouped);
        var having = statement.Having is null ? null : ExprCompiler.Condition(statement.Having, outputContext).Eval;
        var (sortKeys, extras) = OrderKeys(statement, outputs, outputContext);

        var width = outputs.Count;
        var evaluators = outputs.Select(o => o.Value.Eval).Concat(extras.Select(e => e.Eval)).ToArray();
        var columns = outputs.Select(o => o.Column).ToList();

        Func<IEnumerable<object?[]>> source = () => Filter(from.Rows(), where);
        if (groupContext is not null)
        {
            var inner = source;
            source = () => Filter(Group(inner(), groupContext, statement.GroupBy.Count == 0), having);
        }

        var projected = source;
        source = () => Project(projected(), evaluators);
        if (statement.Distinct)
        {
            var inner = source;
            source = () => Distinct(inner(), width);
        }

        if (sortKeys.Count > 0)
        {
            var inner = source;
            source = () => Sort(inner(), sortKeys);
        }

        if (extras.Count > 0)
        {
            var inner = source;
            source = () => inner().Select(r => r[..width]);
        }

        return new QueryPlan(columns, source);
    }

    private sealed record Output(AdqlColumn Column, Compiled Value);

    private static List<Output> Project(IReadOnlyList<SelectItem> items, Scope scope, IBindingContext context, bool grouped)
    {
        var outputs = new List<Output>();
        var generated = new List<int>();
        foreach (var item in items)
        {
            switch (item)
            {
                case StarItem:
                    if (grouped)
                    {
                        throw new AdqlSemanticException("SELECT * cannot be combined with GROUP BY or aggregates");
                    }

                    foreach (var source in scope.Sources)
                    {
                        AddColumns(outputs, source, includeHidden: false);
                    }

                    break;
                case QualifiedStarItem q:
                    if (grouped)
                    {
                        throw new AdqlSemanticException($"SELECT {q.Qualifier}.* cannot be combined with GROUP BY or aggregates");
                    }

                    foreach (var source in scope.SourcesFor(q.Qualifier))
                    {
                        AddColumns(outputs, source, includeHidden: true);
                    }

                    break;
                case ExpressionItem e:
                    var compiled = ExprCompiler.Compile(e.Expression, context);
                    string name;
                    if (e.Alias is not null)
                    {
                        name = e.Alias.Name;
                    }
                    else if (e.Expression is ColumnRef && compiled.Column is not null)
                    {
                        name = compiled.Column.Name;
                    }
                    else
                    {
                        name = e.Expression switch
                        {
                            CountStarExpr => "count",
                            FunctionCall f => f.Name.ToLowerInvariant(),
                            _ => "expr",
                        };
                        generated.Add(outputs.Count);
                    }

                    var column = compiled.Column is not null && e.Expression is ColumnRef or FunctionCall { Name: "MIN" or "MAX" }
                        ? compiled.Column with { Name = name }
                        : ValueKinds.Column(name, compiled.Kind, compiled.Unit);
                    if (compiled.Kind == ValueKind.Geometry && compiled.Column is null)
                    {
                        // A computed shape is output as STC-S text, the form of the region columns it may be compared with.
                        var shape = compiled.Eval;
                        compiled = new Compiled(row => shape(row) is { } v ? ValueOps.ToText(v) : null, ValueKind.Geometry);
                    }

                    outputs.Add(new Output(column, compiled));
                    break;
            }
        }

        MakeGeneratedNamesUnique(outputs, generated);
        return outputs;
    }

    private static void AddColumns(List<Output> outputs, SourceBinding source, bool includeHidden)
    {
        var columns = source.Table.Columns;
        for (var j = 0; j < columns.Count; j++)
        {
            if (!includeHidden && source.Hidden.Contains(j))
            {
                continue;
            }

            var index = source.Offset + j;
            var column = columns[j];
            outputs.Add(new Output(column, new Compiled(row => row[index], ValueKinds.Of(column)) { Column = column }));
        }
    }

    private static void MakeGeneratedNamesUnique(List<Output> outputs, List<int> generated)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < outputs.Count; i++)
        {
            if (!generated.Contains(i))
            {
                taken.Add(outputs[i].Column.Name);
            }
        }

        foreach (var i in generated)
        {
            var baseName = outputs[i].Column.Name;
            var name = baseName;
            for (var n = 2; !taken.Add(name); n++)
            {
                name = $"{baseName}_{n}";
            }

            outputs[i] = outputs[i] with { Column = outputs[i].Column with { Name = name } };
        }
    }

    private sealed record SortKey(int Index, bool Descending);

    private static (List<SortKey> Keys, List<Compiled> Extras) OrderKeys(
        SelectStatement statement,
        List<Output> outputs,
        IBindingContext context)
    {
        var keys = new List<SortKey>();
        var extras = new List<Compiled>();
        foreach (var order in statement.OrderBy)
        {
            var index = -1;
            if (order.Expression is NumberLiteral { IsInteger: true } n)
            {
                if (!n.TryGetInt64(out var position) || position < 1 || position > outputs.Count)
                {
                    throw new AdqlSemanticException($"ORDER BY position {n.Text} is not in the select list (1..{outputs.Count})");
                }

                index = (int)position - 1;
            }
            else if (order.Expression is ColumnRef { Qualifier: null } column)
            {
                var matches = Enumerable.Range(0, outputs.Count)
                    .Where(i => column.Column.Matches(outputs[i].Column.Name))
                    .ToList();
                if (matches.Count == 1)
                {
                    index = matches[0];
                }
            }

            if (index < 0)
            {
                var itemIndex = statement.Items.ToList().FindIndex(i => i is ExpressionItem e && e.Expression.Equals(order.Expression));
                if (itemIndex >= 0 && statement.Items.Take(itemIndex).All(i => i is ExpressionItem))
                {
                    index = itemIndex;
                }
            }

            if (index < 0)
            {
                extras.Add(ExprCompiler.Compile(order.Expression, context));
                index = outputs.Count + extras.Count - 1;
            }

            keys.Add(new SortKey(index, order.Descending));
        }

        return (keys, extras);
    }

    private static IEnumerable<object?[]> Filter(IEnumerable<object?[]> rows, Func<object?[], object?>? predicate)
    {
        if (predicate is null)
        {
            return rows;
        }

        return FilterCore(rows, predicate);

        static IEnumerable<object?[]> FilterCore(IEnumerable<object?[]> rows, Func<object?[], object?> predicate)
        {
            foreach (var row in rows)
            {
                if (predicate(row) is true)
                {
                    yield return row;
                }
            }
        }
    }

    private static IEnumerable<object?[]> Project(IEnumerable<object?[]> rows, Func<object?[], object?>[] evaluators)
    {
        foreach (var row in rows)
        {
            var output = new object?[evaluators.Length];
            for (var i = 0; i < evaluators.Length; i++)
            {
                output[i] = evaluators[i](row);
            }

            yield return output;
        }
    }

    private static IEnumerable<object?[]> Group(IEnumerable<object?[]> rows, GroupContext context, bool singleGroup)
    {
        var keys = context.Keys.Select(k => k.Eval).ToArray();
        var aggregates = context.Aggregates;
        var groups = new Dictionary<object?[], (object?[] Key, Accumulator[] Accumulators)>(KeyComparer.Instance);
        var order = new List<object?[]>();
        foreach (var row in rows)
        {
            var key = new object?[keys.Length];
            var normalized = new object?[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                key[i] = keys[i](row);
                normalized[i] = ValueOps.NormalizeKey(key[i]);
            }

            if (!groups.TryGetValue(normalized, out var group))
            {
                group = (key, aggregates.Select(a => a.CreateAccumulator()).ToArray());
                groups.Add(normalized, group);
                order.Add(normalized);
            }

            for (var i = 0; i < aggregates.Count; i++)
            {
                group.Accumulators[i].Add(aggregates[i].Argument?.Eval(row));
            }
        }

        if (singleGroup && groups.Count == 0)
        {
            var empty = aggregates.Select(a => a.CreateAccumulator()).ToArray();
            yield return empty.Select(a => a.Result).ToArray();
            yield break;
        }

        foreach (var normalized in order)
        {
            var (key, accumulators) = groups[normalized];
            var groupRow = new object?[key.Length + accumulators.Length];
            key.CopyTo(groupRow, 0);
            for (var i = 0; i < accumulators.Length; i++)
            {
                groupRow[key.Length + i] = accumulators[i].Result;
            }

            yield return groupRow;
        }
    }

    private static IEnumerable<object?[]> Distinct(IEnumerable<object?[]> rows, int width)
    {
        var seen = new HashSet<object?[]>(KeyComparer.Instance);
        foreach (var row in rows)
        {
            var key = new object?[width];
            for (var i = 0; i < width; i++)
            {
                key[i] = ValueOps.NormalizeKey(row[i]);
            }

            if (seen.Add(key))
            {
                yield return row;
            }
        }
    }

    private static IEnumerable<object?[]> Sort(IEnumerable<object?[]> rows, List<SortKey> keys)
    {
        var comparer = Comparer<object?[]>.Create((a, b) =>
        {
            foreach (var key in keys)
            {
                var c = ValueOps.CompareForSort(a[key.Index], b[key.Index], key.Descending);
                if (c != 0)
                {
                    return c;
                }
            }

            return 0;
        });

        // Enumerable.OrderBy is a stable sort.
        return rows.OrderBy(r => r, comparer);
    }
}
