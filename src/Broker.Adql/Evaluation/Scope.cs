namespace Broker.Adql;

/// <summary>One table of the FROM clause, placed at <see cref="Offset"/> in the combined row.</summary>
internal sealed class SourceBinding
{
    public SourceBinding(IAdqlTable table, Identifier? alias, int offset, HashSet<int>? hidden = null)
    {
        Table = table;
        Alias = alias;
        Offset = offset;
        Hidden = hidden is null ? [] : [.. hidden];
    }

    public IAdqlTable Table { get; }

    public Identifier? Alias { get; }

    public int Offset { get; }

    /// <summary>Local column indices merged away by JOIN USING/NATURAL (invisible to unqualified names and *).</summary>
    public HashSet<int> Hidden { get; }

    public int Width => Table.Columns.Count;

    public bool MatchesQualifier(TableName qualifier)
    {
        if (Alias is not null)
        {
            return qualifier.Schema is null && qualifier.Name.Matches(Alias.Name);
        }

        return string.Equals(qualifier.Name.Name, Table.Name, StringComparison.OrdinalIgnoreCase)
            && (qualifier.Schema is null
                || string.Equals(qualifier.Schema.Name, Table.Schema, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The tables visible to an expression and the layout of the combined row.</summary>
internal sealed class Scope
{
    public Scope(IReadOnlyList<SourceBinding> sources)
    {
        Sources = sources;
        Width = sources.Count == 0 ? 0 : sources[^1].Offset + sources[^1].Width;
    }

    public IReadOnlyList<SourceBinding> Sources { get; }

    public int Width { get; }

    public static Scope Concat(Scope left, Scope right)
    {
        var sources = new List<SourceBinding>(left.Sources.Select(s => new SourceBinding(s.Table, s.Alias, s.Offset, s.Hidden)));
        sources.AddRange(right.Sources.Select(s => new SourceBinding(s.Table, s.Alias, s.Offset + left.Width, s.Hidden)));
        return new Scope(sources);
    }

    /// <summary>Hides the column at a combined-row index from unqualified lookup and <c>*</c>.</summary>
    public void Hide(int index)
    {
        foreach (var s in Sources)
        {
            if (index >= s.Offset && index < s.Offset + s.Width)
            {
                s.Hidden.Add(index - s.Offset);
                return;
            }
        }
    }

    public IReadOnlyList<SourceBinding> SourcesFor(TableName qualifier)
    {
        var matches = Sources.Where(s => s.MatchesQualifier(qualifier)).ToList();
        return matches.Count > 0
            ? matches
            : throw new AdqlSemanticException($"Unknown table or alias '{qualifier}'");
    }

    public int Resolve(ColumnRef column, out AdqlColumn metadata)
    {
        var candidates = column.Qualifier is null ? Sources : SourcesFor(column.Qualifier);
        var found = -1;
        AdqlColumn? foundColumn = null;
        foreach (var source in candidates)
        {
            var columns = source.Table.Columns;
            for (var j = 0; j < columns.Count; j++)
            {
                if ((column.Qualifier is null && source.Hidden.Contains(j)) || !column.Column.Matches(columns[j].Name))
                {
                    continue;
                }

                if (found >= 0)
                {
                    throw new AdqlSemanticException($"Ambiguous column '{Describe(column)}'; qualify it with a table name or alias");
                }

                found = source.Offset + j;
                foundColumn = columns[j];
            }
        }

        if (found < 0)
        {
            throw new AdqlSemanticException($"Unknown column '{Describe(column)}'");
        }

        metadata = foundColumn!;
        return found;
    }

    public bool TryResolve(ColumnRef column, out int index)
    {
        try
        {
            index = Resolve(column, out _);
            return true;
        }
        catch (AdqlSemanticException)
        {
            index = -1;
            return false;
        }
    }

    private static string Describe(ColumnRef column) =>
        column.Qualifier is null ? column.Name : $"{column.Qualifier}.{column.Name}";
}
