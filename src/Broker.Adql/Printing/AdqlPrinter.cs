using System.Text;

namespace Broker.Adql;

/// <summary>
/// Prints an AST as canonical ADQL text. This is the escaping boundary: string literals are always
/// single-quoted with <c>''</c> doubling, identifiers are delimited with <c>""</c> doubling whenever they are
/// not legal regular identifiers or are reserved words. <c>AdqlParser.Parse(Print(ast))</c> equals <c>ast</c>.
/// </summary>
public static class AdqlPrinter
{
    // Precedence levels, lowest binds loosest.
    private const int OrLevel = 1;
    private const int AndLevel = 2;
    private const int NotLevel = 3;
    private const int PredicateLevel = 4;
    private const int ConcatLevel = 5;
    private const int AdditiveLevel = 6;
    private const int MultiplicativeLevel = 7;
    private const int UnaryLevel = 8;
    private const int PrimaryLevel = 9;

    // The quoting of the Print call running on this thread (Print is synchronous); null = the identifiers' own.
    [ThreadStatic]
    private static IdentifierQuoting? _quoting;

    /// <summary>Prints a whole query on one line, delimiting identifiers as <paramref name="quoting"/> says (for one provider).</summary>
    public static string Print(SelectStatement statement, IdentifierQuoting quoting)
    {
        var previous = _quoting;
        _quoting = quoting;
        try
        {
            return Print(statement);
        }
        finally
        {
            _quoting = previous;
        }
    }

    /// <summary>Prints a whole query on one line.</summary>
    public static string Print(SelectStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sb = new StringBuilder("SELECT ");
        if (statement.Distinct)
        {
            sb.Append("DISTINCT ");
        }

        if (statement.Top is { } top)
        {
            sb.Append("TOP ").Append(NonNegative(top, "TOP")).Append(' ');
        }

        AppendList(sb, statement.Items, AppendSelectItem);
        sb.Append(" FROM ");
        AppendList(sb, statement.From, (b, f) => AppendFromItem(b, f, nested: false));
        if (statement.Where is not null)
        {
            sb.Append(" WHERE ");
            AppendExpr(sb, statement.Where, OrLevel);
        }

        if (statement.GroupBy.Count > 0)
        {
            sb.Append(" GROUP BY ");
            AppendList(sb, statement.GroupBy, (b, e) => AppendExpr(b, e, OrLevel));
        }

        if (statement.Having is not null)
        {
            sb.Append(" HAVING ");
            AppendExpr(sb, statement.Having, OrLevel);
        }

        if (statement.OrderBy.Count > 0)
        {
            sb.Append(" ORDER BY ");
            AppendList(sb, statement.OrderBy, (b, o) =>
            {
                AppendExpr(b, o.Expression, OrLevel);
                b.Append(o.Descending ? " DESC" : " ASC");
            });
        }

        if (statement.Offset is { } offset)
        {
            sb.Append(" OFFSET ").Append(NonNegative(offset, "OFFSET"));
        }

        return sb.ToString();
    }

    /// <summary>Prints an expression.</summary>
    public static string Print(Expr expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var sb = new StringBuilder();
        AppendExpr(sb, expression, OrLevel);
        return sb.ToString();
    }

    /// <summary>Quotes a string value as an ADQL literal: <c>O'Brien</c> becomes <c>'O''Brien'</c>.</summary>
    public static string QuoteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Formats an identifier: bare when it is a regular, non-reserved, non-delimited identifier; otherwise
    /// in double quotes with <c>""</c> doubling.
    /// </summary>
    public static string FormatIdentifier(Identifier identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var name = identifier.Name;
        var mustDelimit = !Keywords.IsRegularIdentifier(name) || Keywords.IsReserved(name);
        var delimit = mustDelimit || (_quoting?.Delimits(identifier) ?? identifier.Delimited);
        if (!delimit)
        {
            return name;
        }

        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static long NonNegative(long value, string what) =>
        value >= 0 ? value : throw new ArgumentException($"{what} must not be negative.");

    private static void AppendList<T>(StringBuilder sb, IReadOnlyList<T> items, Action<StringBuilder, T> append)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            append(sb, items[i]);
        }
    }

    private static void AppendTableName(StringBuilder sb, TableName name)
    {
        if (name.Schema is not null)
        {
            sb.Append(FormatIdentifier(name.Schema)).Append('.');
        }

        sb.Append(FormatIdentifier(name.Name));
    }

    private static void AppendSelectItem(StringBuilder sb, SelectItem item)
    {
        switch (item)
        {
            case StarItem:
                sb.Append('*');
                break;
            case QualifiedStarItem q:
                AppendTableName(sb, q.Qualifier);
                sb.Append(".*");
                break;
            case ExpressionItem e:
                AppendExpr(sb, e.Expression, OrLevel);
                if (e.Alias is not null)
                {
                    sb.Append(" AS ").Append(FormatIdentifier(e.Alias));
                }

                break;
            default:
                throw new ArgumentException($"Unknown select item {item.GetType().Name}.");
        }
    }

    private static void AppendFromItem(StringBuilder sb, FromItem item, bool nested)
    {
        switch (item)
        {
            case TableRef t:
                AppendTableName(sb, t.Table);
                if (t.Alias is not null)
                {
                    sb.Append(" AS ").Append(FormatIdentifier(t.Alias));
                }

                break;
            case JoinRef j:
                if (nested)
                {
                    sb.Append('(');
                }

                AppendFromItem(sb, j.Left, nested: false);
                sb.Append(' ');
                if (j.Natural)
                {
                    sb.Append("NATURAL ");
                }

                sb.Append(j.Type switch
                {
                    JoinType.Inner => "JOIN ",
                    JoinType.Left => "LEFT OUTER JOIN ",
                    JoinType.Right => "RIGHT OUTER JOIN ",
                    JoinType.Full => "FULL OUTER JOIN ",
                    JoinType.Cross => "CROSS JOIN ",
                    _ => throw new ArgumentException($"Unknown join type {j.Type}."),
                });
                AppendFromItem(sb, j.Right, nested: true);
                if (j.On is not null)
                {
                    sb.Append(" ON ");
                    AppendExpr(sb, j.On, OrLevel);
                }
                else if (j.Using is not null)
                {
                    sb.Append(" USING (");
                    AppendList(sb, j.Using, (b, id) => b.Append(FormatIdentifier(id)));
                    sb.Append(')');
                }

                if (nested)
                {
                    sb.Append(')');
                }

                break;
            default:
                throw new ArgumentException($"Unknown FROM item {item.GetType().Name}.");
        }
    }

    private static int LevelOf(Expr expr) => expr switch
    {
        OrExpr => OrLevel,
        AndExpr => AndLevel,
        NotExpr => NotLevel,
        ComparisonExpr or InExpr or BetweenExpr or LikeExpr or IsNullExpr => PredicateLevel,
        BinaryExpr { Operator: BinaryOperator.Concat } => ConcatLevel,
        BinaryExpr { Operator: BinaryOperator.Add or BinaryOperator.Subtract } => AdditiveLevel,
        BinaryExpr => MultiplicativeLevel,
        NegateExpr => UnaryLevel,
        _ => PrimaryLevel,
    };

    private static void AppendExpr(StringBuilder sb, Expr expr, int minLevel)
    {
        var parenthesise = LevelOf(expr) < minLevel;
        if (parenthesise)
        {
            sb.Append('(');
        }

        AppendExprCore(sb, expr);
        if (parenthesise)
        {
            sb.Append(')');
        }
    }

    private static void AppendExprCore(StringBuilder sb, Expr expr)
    {
        switch (expr)
        {
            case ColumnRef c:
                if (c.Qualifier is not null)
                {
                    AppendTableName(sb, c.Qualifier);
                    sb.Append('.');
                }

                sb.Append(FormatIdentifier(c.Column));
                break;
            case StringLiteral s:
                sb.Append(QuoteString(s.Value));
                break;
            case NumberLiteral n:
                sb.Append(n.Text);
                break;
            case BooleanLiteral b:
                sb.Append(b.Value ? "TRUE" : "FALSE");
                break;
            case NullLiteral:
                sb.Append("NULL");
                break;
            case NegateExpr neg:
                sb.Append('-');
                // "- -x" would print as a comment start, so nested negation is parenthesised.
                AppendExpr(sb, neg.Operand, neg.Operand is NegateExpr ? PrimaryLevel : UnaryLevel);
                break;
            case BinaryExpr bin:
                var level = LevelOf(bin);
                AppendExpr(sb, bin.Left, level);
                sb.Append(bin.Operator switch
                {
                    BinaryOperator.Add => " + ",
                    BinaryOperator.Subtract => " - ",
                    BinaryOperator.Multiply => " * ",
                    BinaryOperator.Divide => " / ",
                    BinaryOperator.Concat => " || ",
                    _ => throw new ArgumentException($"Unknown operator {bin.Operator}."),
                });
                AppendExpr(sb, bin.Right, level + 1);
                break;
            case ComparisonExpr cmp:
                AppendExpr(sb, cmp.Left, ConcatLevel);
                sb.Append(cmp.Operator switch
                {
                    ComparisonOperator.Equal => " = ",
                    ComparisonOperator.NotEqual => " <> ",
                    ComparisonOperator.Less => " < ",
                    ComparisonOperator.LessOrEqual => " <= ",
                    ComparisonOperator.Greater => " > ",
                    ComparisonOperator.GreaterOrEqual => " >= ",
                    _ => throw new ArgumentException($"Unknown operator {cmp.Operator}."),
                });
                AppendExpr(sb, cmp.Right, ConcatLevel);
                break;
            case AndExpr and:
                AppendExpr(sb, and.Left, AndLevel);
                sb.Append(" AND ");
                AppendExpr(sb, and.Right, NotLevel);
                break;
            case OrExpr or:
                AppendExpr(sb, or.Left, OrLevel);
                sb.Append(" OR ");
                AppendExpr(sb, or.Right, AndLevel);
                break;
            case NotExpr not:
                sb.Append("NOT ");
                AppendExpr(sb, not.Operand, NotLevel);
                break;
            case InExpr inExpr:
                if (inExpr.Values.Count == 0)
                {
                    throw new ArgumentException("IN needs at least one value.");
                }

                AppendExpr(sb, inExpr.Operand, ConcatLevel);
                sb.Append(inExpr.Negated ? " NOT IN (" : " IN (");
                AppendList(sb, inExpr.Values, (b, v) => AppendExpr(b, v, OrLevel));
                sb.Append(')');
                break;
            case BetweenExpr between:
                AppendExpr(sb, between.Operand, ConcatLevel);
                sb.Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                AppendExpr(sb, between.Low, ConcatLevel);
                sb.Append(" AND ");
                AppendExpr(sb, between.High, ConcatLevel);
                break;
            case LikeExpr like:
                AppendExpr(sb, like.Operand, ConcatLevel);
                sb.Append(like.Negated ? " NOT" : string.Empty).Append(like.CaseInsensitive ? " ILIKE " : " LIKE ");
                AppendExpr(sb, like.Pattern, ConcatLevel);
                break;
            case IsNullExpr isNull:
                AppendExpr(sb, isNull.Operand, ConcatLevel);
                sb.Append(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            case CountStarExpr:
                sb.Append("COUNT(*)");
                break;
            case FunctionCall call:
                sb.Append(call.Name).Append('(');
                if (call.Distinct)
                {
                    sb.Append("DISTINCT ");
                }

                AppendList(sb, call.Arguments, (b, a) => AppendExpr(b, a, OrLevel));
                sb.Append(')');
                break;
            case CastExpr cast:
                sb.Append("CAST(");
                AppendExpr(sb, cast.Operand, OrLevel);
                sb.Append(" AS ").Append(cast.TargetType);
                if (cast.Length is { } length)
                {
                    sb.Append('(').Append(length).Append(')');
                }

                sb.Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown expression {expr.GetType().Name}.");
        }
    }
}
