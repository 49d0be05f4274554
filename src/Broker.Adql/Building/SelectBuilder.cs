namespace Broker.Adql;

/// <summary>
/// Mutable builder for <see cref="SelectStatement"/>:
/// <code>
/// Adql.Select().Top(10).Columns(Adql.Column("h1", "filename"))
///     .From("soar.v_sc_data_item", "h1").Join("v_eui_sc_fits", "h2", "data_item_oid")
///     .Where(Adql.Eq(Adql.Column("h1", "instrument"), Adql.String("EUI")))
///     .OrderBy(Adql.Column("h1", "begin_time")).Build();
/// </code>
/// </summary>
public sealed class SelectBuilder
{
    private readonly List<SelectItem> _items = [];
    private readonly List<FromItem> _from = [];
    private readonly List<Expr> _groupBy = [];
    private readonly List<OrderItem> _orderBy = [];
    private bool _distinct;
    private long? _top;
    private long? _offset;
    private Expr? _where;
    private Expr? _having;

    /// <summary>SELECT DISTINCT.</summary>
    public SelectBuilder Distinct(bool distinct = true)
    {
        _distinct = distinct;
        return this;
    }

    /// <summary>TOP n (n ≥ 0).</summary>
    public SelectBuilder Top(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        _top = n;
        return this;
    }

    /// <summary>OFFSET n (n ≥ 0).</summary>
    public SelectBuilder Offset(long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        _offset = n;
        return this;
    }

    /// <summary>Adds <c>*</c> to the select list.</summary>
    public SelectBuilder AllColumns()
    {
        _items.Add(StarItem.Instance);
        return this;
    }

    /// <summary>Adds <c>qualifier.*</c> to the select list.</summary>
    public SelectBuilder AllColumnsOf(string qualifier)
    {
        _items.Add(new QualifiedStarItem(TableName.Of(qualifier)));
        return this;
    }

    /// <summary>Adds an expression, optionally aliased, to the select list.</summary>
    public SelectBuilder Column(Expr expression, string? alias = null)
    {
        _items.Add(new ExpressionItem(expression, alias is null ? null : Identifier.Of(alias)));
        return this;
    }

    /// <summary>Adds expressions to the select list.</summary>
    public SelectBuilder Columns(params Expr[] expressions)
    {
        foreach (var e in expressions)
        {
            Column(e);
        }

        return this;
    }

    /// <summary>Adds a prepared select item (e.g. from <c>expr.As("alias")</c>).</summary>
    public SelectBuilder Item(SelectItem item)
    {
        _items.Add(item);
        return this;
    }

    /// <summary>
    /// Adds a FROM entry (a further call adds a comma cross join). <paramref name="table"/> may be
    /// <c>"schema.table"</c>.
    /// </summary>
    public SelectBuilder From(string table, string? alias = null) => From(TableName.Of(table), alias);

    /// <summary>Adds a FROM entry with an explicit <see cref="TableName"/>.</summary>
    public SelectBuilder From(TableName table, string? alias = null)
    {
        _from.Add(new TableRef(table, alias is null ? null : Identifier.Of(alias)));
        return this;
    }

    /// <summary>INNER JOIN the last FROM entry with <paramref name="table"/> USING the given columns.</summary>
    public SelectBuilder Join(string table, string? alias, params string[] usingColumns) =>
        AddJoin(JoinType.Inner, table, alias, usingColumns);

    /// <summary>Joins the last FROM entry with <paramref name="table"/> ON a condition.</summary>
    public SelectBuilder JoinOn(string table, string? alias, Expr on, JoinType type = JoinType.Inner)
    {
        var left = PopLastFrom();
        _from.Add(new JoinRef(left, NewTableRef(table, alias), type, On: on));
        return this;
    }

    /// <summary>ANDs a condition into WHERE; <c>null</c> is ignored.</summary>
    public SelectBuilder Where(Expr? condition)
    {
        if (condition is not null)
        {
            _where = _where is null ? condition : new AndExpr(_where, condition);
        }

        return this;
    }

    /// <summary>Adds GROUP BY expressions.</summary>
    public SelectBuilder GroupBy(params Expr[] expressions)
    {
        _groupBy.AddRange(expressions);
        return this;
    }

    /// <summary>ANDs a condition into HAVING; <c>null</c> is ignored.</summary>
    public SelectBuilder Having(Expr? condition)
    {
        if (condition is not null)
        {
            _having = _having is null ? condition : new AndExpr(_having, condition);
        }

        return this;
    }

    /// <summary>Adds an ORDER BY entry.</summary>
    public SelectBuilder OrderBy(Expr expression, bool descending = false)
    {
        _orderBy.Add(new OrderItem(expression, descending));
        return this;
    }

    /// <summary>Builds the immutable statement. Requires at least one FROM entry; an empty select list means <c>*</c>.</summary>
    public SelectStatement Build()
    {
        if (_from.Count == 0)
        {
            throw new InvalidOperationException("A query needs a FROM clause.");
        }

        return new SelectStatement
        {
            Distinct = _distinct,
            Top = _top,
            Items = _items.Count == 0 ? ValueList.Of<SelectItem>(StarItem.Instance) : new ValueList<SelectItem>(_items),
            From = new ValueList<FromItem>(_from),
            Where = _where,
            GroupBy = new ValueList<Expr>(_groupBy),
            Having = _having,
            OrderBy = new ValueList<OrderItem>(_orderBy),
            Offset = _offset,
        };
    }

    private SelectBuilder AddJoin(JoinType type, string table, string? alias, string[] usingColumns)
    {
        if (usingColumns.Length == 0)
        {
            throw new ArgumentException("USING needs at least one column.", nameof(usingColumns));
        }

        var left = PopLastFrom();
        _from.Add(new JoinRef(left, NewTableRef(table, alias), type, Using: usingColumns.Select(Identifier.Of).ToArray()));
        return this;
    }

    private static TableRef NewTableRef(string table, string? alias) =>
        new(TableName.Of(table), alias is null ? null : Identifier.Of(alias));

    private FromItem PopLastFrom()
    {
        if (_from.Count == 0)
        {
            throw new InvalidOperationException("Call From before joining.");
        }

        var last = _from[^1];
        _from.RemoveAt(_from.Count - 1);
        return last;
    }
}
