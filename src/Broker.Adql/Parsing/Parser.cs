using System.Globalization;

namespace Broker.Adql;

/// <summary>Recursive-descent parser over a token list.</summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _index;

    public Parser(List<Token> tokens) => _tokens = tokens;

    private Token Current => _tokens[_index];

    private Token PeekToken(int offset = 1) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    public SelectStatement ParseQuery()
    {
        var statement = ParseSelect();
        Accept(TokenKind.Semicolon);
        if (Current.Kind != TokenKind.End)
        {
            throw Error("unexpected text after the end of the query");
        }

        return statement;
    }

    public Expr ParseStandaloneExpression()
    {
        var expr = ParseExpr();
        if (Current.Kind != TokenKind.End)
        {
            throw Error("unexpected text after the expression");
        }

        return expr;
    }

    private SelectStatement ParseSelect()
    {
        ExpectKeyword("SELECT");
        var distinct = AcceptKeyword("DISTINCT");
        if (!distinct)
        {
            AcceptKeyword("ALL");
        }

        long? top = AcceptKeyword("TOP") ? ParseUnsignedInteger("TOP") : null;

        var items = new List<SelectItem> { ParseSelectItem() };
        while (Accept(TokenKind.Comma))
        {
            items.Add(ParseSelectItem());
        }

        ExpectKeyword("FROM");
        var from = new List<FromItem> { ParseTableReference() };
        while (Accept(TokenKind.Comma))
        {
            from.Add(ParseTableReference());
        }

        var where = AcceptKeyword("WHERE") ? ParseExpr() : null;

        var groupBy = new List<Expr>();
        if (AcceptKeyword("GROUP"))
        {
            ExpectKeyword("BY");
            groupBy.Add(ParseExpr());
            while (Accept(TokenKind.Comma))
            {
                groupBy.Add(ParseExpr());
            }
        }

        var having = AcceptKeyword("HAVING") ? ParseExpr() : null;

        var orderBy = new List<OrderItem>();
        if (AcceptKeyword("ORDER"))
        {
            ExpectKeyword("BY");
            do
            {
                var expr = ParseExpr();
                var descending = false;
                if (AcceptKeyword("DESC"))
                {
                    descending = true;
                }
                else
                {
                    AcceptKeyword("ASC");
                }

                orderBy.Add(new OrderItem(expr, descending));
            }
            while (Accept(TokenKind.Comma));
        }

        long? offset = AcceptKeyword("OFFSET") ? ParseUnsignedInteger("OFFSET") : null;

        if (Current.IsKeyword("UNION") || Current.IsKeyword("EXCEPT") || Current.IsKeyword("INTERSECT"))
        {
            throw Error("set operators are not supported");
        }

        return new SelectStatement
        {
            Distinct = distinct,
            Top = top,
            Items = items,
            From = from,
            Where = where,
            GroupBy = groupBy,
            Having = having,
            OrderBy = orderBy,
            Offset = offset,
        };
    }

    private long ParseUnsignedInteger(string what)
    {
        var token = Current;
        if (token.Kind != TokenKind.Number
            || !long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"expected an unsigned integer after {what}");
        }

        _index++;
        return value;
    }

    private SelectItem ParseSelectItem()
    {
        if (Accept(TokenKind.Star))
        {
            return StarItem.Instance;
        }

        if (IsIdentifierToken(Current))
        {
            // Look ahead for qualifier.* (one or two name parts followed by ".*").
            var parts = 1;
            while (PeekToken(2 * parts - 1).Kind == TokenKind.Dot && IsIdentifierToken(PeekToken(2 * parts)))
            {
                parts++;
            }

            if (PeekToken(2 * parts - 1).Kind == TokenKind.Dot && PeekToken(2 * parts).Kind == TokenKind.Star)
            {
                if (parts > 2)
                {
                    throw Error("qualifier must be [schema.]table");
                }

                var first = ParseIdentifier("a table name");
                Identifier? second = null;
                if (parts == 2)
                {
                    Expect(TokenKind.Dot, "'.'");
                    second = ParseIdentifier("a table name");
                }

                Expect(TokenKind.Dot, "'.'");
                Expect(TokenKind.Star, "'*'");
                return new QualifiedStarItem(second is null ? new TableName(null, first) : new TableName(first, second));
            }
        }

        var expr = ParseExpr();
        Identifier? alias = null;
        if (AcceptKeyword("AS"))
        {
            alias = ParseIdentifier("an alias");
        }
        else if (IsIdentifierToken(Current))
        {
            alias = ParseIdentifier("an alias");
        }

        return new ExpressionItem(expr, alias);
    }

    private FromItem ParseTableReference()
    {
        var left = ParseTablePrimary();
        while (true)
        {
            var natural = AcceptKeyword("NATURAL");
            JoinType type;
            if (AcceptKeyword("INNER"))
            {
                type = JoinType.Inner;
            }
            else if (AcceptKeyword("LEFT"))
            {
                AcceptKeyword("OUTER");
                type = JoinType.Left;
            }
            else if (AcceptKeyword("RIGHT"))
            {
                AcceptKeyword("OUTER");
                type = JoinType.Right;
            }
            else if (AcceptKeyword("FULL"))
            {
                AcceptKeyword("OUTER");
                type = JoinType.Full;
            }
            else if (!natural && AcceptKeyword("CROSS"))
            {
                type = JoinType.Cross;
            }
            else if (Current.IsKeyword("JOIN"))
            {
                type = JoinType.Inner;
            }
            else if (natural)
            {
                throw Error("expected JOIN after NATURAL");
            }
            else
            {
                return left;
            }

            ExpectKeyword("JOIN");
            var right = ParseTablePrimary();
            if (natural || type == JoinType.Cross)
            {
                left = new JoinRef(left, right, type, Natural: natural);
            }
            else if (AcceptKeyword("ON"))
            {
                left = new JoinRef(left, right, type, On: ParseExpr());
            }
            else if (AcceptKeyword("USING"))
            {
                Expect(TokenKind.LParen, "'('");
                var columns = new List<Identifier> { ParseIdentifier("a column name") };
                while (Accept(TokenKind.Comma))
                {
                    columns.Add(ParseIdentifier("a column name"));
                }

                Expect(TokenKind.RParen, "')'");
                left = new JoinRef(left, right, type, Using: columns);
            }
            else
            {
                throw Error("expected ON or USING");
            }
        }
    }

    private FromItem ParseTablePrimary()
    {
        if (Accept(TokenKind.LParen))
        {
            if (Current.IsKeyword("SELECT"))
            {
                throw Error("subqueries are not supported");
            }

            var inner = ParseTableReference();
            Expect(TokenKind.RParen, "')'");
            return inner;
        }

        var first = ParseIdentifier("a table name");
        TableName name;
        if (Accept(TokenKind.Dot))
        {
            var second = ParseIdentifier("a table name");
            if (Current.Kind == TokenKind.Dot)
            {
                throw Error("catalog-qualified table names are not supported");
            }

            name = new TableName(first, second);
        }
        else
        {
            name = new TableName(null, first);
        }

        Identifier? alias = null;
        if (AcceptKeyword("AS"))
        {
            alias = ParseIdentifier("an alias");
        }
        else if (IsIdentifierToken(Current))
        {
            alias = ParseIdentifier("an alias");
        }

        return new TableRef(name, alias);
    }

    // ---------------------------------------------------------------- expressions

    private Expr ParseExpr() => ParseOr();

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (AcceptKeyword("OR"))
        {
            left = new OrExpr(left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (AcceptKeyword("AND"))
        {
            left = new AndExpr(left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot() => AcceptKeyword("NOT") ? new NotExpr(ParseNot()) : ParsePredicate();

    private Expr ParsePredicate()
    {
        if (Current.IsKeyword("EXISTS"))
        {
            throw Error("subqueries are not supported");
        }

        var left = ParseConcat();
        ComparisonOperator? op = Current.Kind switch
        {
            TokenKind.Eq => ComparisonOperator.Equal,
            TokenKind.NotEq => ComparisonOperator.NotEqual,
            TokenKind.Lt => ComparisonOperator.Less,
            TokenKind.Le => ComparisonOperator.LessOrEqual,
            TokenKind.Gt => ComparisonOperator.Greater,
            TokenKind.Ge => ComparisonOperator.GreaterOrEqual,
            _ => null,
        };
        if (op is not null)
        {
            _index++;
            return new ComparisonExpr(op.Value, left, ParseConcat());
        }

        if (AcceptKeyword("IS"))
        {
            var negatedNull = AcceptKeyword("NOT");
            ExpectKeyword("NULL");
            return new IsNullExpr(left, negatedNull);
        }

        var negated = false;
        if (Current.IsKeyword("NOT")
            && (PeekToken().IsKeyword("IN") || PeekToken().IsKeyword("BETWEEN") || PeekToken().IsKeyword("LIKE")
                || PeekToken().IsKeyword("ILIKE")))
        {
            _index++;
            negated = true;
        }

        if (AcceptKeyword("IN"))
        {
            Expect(TokenKind.LParen, "'('");
            if (Current.IsKeyword("SELECT"))
            {
                throw Error("subqueries are not supported");
            }

            var values = new List<Expr> { ParseExpr() };
            while (Accept(TokenKind.Comma))
            {
                values.Add(ParseExpr());
            }

            Expect(TokenKind.RParen, "')'");
            return new InExpr(left, values, negated);
        }

        if (AcceptKeyword("BETWEEN"))
        {
            var low = ParseConcat();
            ExpectKeyword("AND");
            return new BetweenExpr(left, low, ParseConcat(), negated);
        }

        if (AcceptKeyword("LIKE"))
        {
            return new LikeExpr(left, ParseConcat(), negated);
        }

        if (AcceptKeyword("ILIKE"))
        {
            return new LikeExpr(left, ParseConcat(), negated, CaseInsensitive: true);
        }

        return left;
    }

    private Expr ParseConcat()
    {
        var left = ParseAdditive();
        while (Accept(TokenKind.Concat))
        {
            left = new BinaryExpr(BinaryOperator.Concat, left, ParseAdditive());
        }

        return left;
    }

    private Expr ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            if (Accept(TokenKind.Plus))
            {
                left = new BinaryExpr(BinaryOperator.Add, left, ParseMultiplicative());
            }
            else if (Accept(TokenKind.Minus))
            {
                left = new BinaryExpr(BinaryOperator.Subtract, left, ParseMultiplicative());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            if (Accept(TokenKind.Star))
            {
                left = new BinaryExpr(BinaryOperator.Multiply, left, ParseUnary());
            }
            else if (Accept(TokenKind.Slash))
            {
                left = new BinaryExpr(BinaryOperator.Divide, left, ParseUnary());
            }
            else
            {
                return left;
            }
        }
    }

    private Expr ParseUnary()
    {
        if (Accept(TokenKind.Minus))
        {
            return new NegateExpr(ParseUnary());
        }

        return Accept(TokenKind.Plus) ? ParseUnary() : ParsePrimary();
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                _index++;
                return new NumberLiteral(token.Text);
            case TokenKind.String:
                _index++;
                return new StringLiteral(token.Value);
            case TokenKind.LParen:
                _index++;
                if (Current.IsKeyword("SELECT"))
                {
                    throw Error("subqueries are not supported");
                }

                var inner = ParseExpr();
                Expect(TokenKind.RParen, "')'");
                return inner;
            case TokenKind.DelimitedIdentifier:
                return ParseColumnRef();
            case TokenKind.Identifier:
                break;
            default:
                throw Error("expected an expression");
        }

        if (AcceptKeyword("NULL"))
        {
            return NullLiteral.Instance;
        }

        if (AcceptKeyword("TRUE"))
        {
            return new BooleanLiteral(true);
        }

        if (AcceptKeyword("FALSE"))
        {
            return new BooleanLiteral(false);
        }

        if (token.IsKeyword("CAST"))
        {
            return ParseCast();
        }

        if (token.IsReservedWord)
        {
            throw Error(token.IsKeyword("CASE") ? "CASE expressions are not supported" : $"unexpected keyword {token.Value.ToUpperInvariant()}");
        }

        return PeekToken().Kind == TokenKind.LParen ? ParseFunctionCall() : ParseColumnRef();
    }

    private Expr ParseFunctionCall()
    {
        var name = Current.Value;
        _index += 2; // name and '('
        if (string.Equals(name, "COUNT", StringComparison.OrdinalIgnoreCase) && Accept(TokenKind.Star))
        {
            Expect(TokenKind.RParen, "')'");
            return CountStarExpr.Instance;
        }

        var distinct = false;
        var upper = name.ToUpperInvariant();
        if (upper is "COUNT" or "MIN" or "MAX" or "SUM" or "AVG")
        {
            distinct = AcceptKeyword("DISTINCT");
            if (!distinct)
            {
                AcceptKeyword("ALL");
            }
        }

        var args = new List<Expr>();
        if (!Accept(TokenKind.RParen))
        {
            args.Add(ParseExpr());
            while (Accept(TokenKind.Comma))
            {
                args.Add(ParseExpr());
            }

            Expect(TokenKind.RParen, "')'");
        }

        return new FunctionCall(upper, args, distinct);
    }

    private Expr ParseCast()
    {
        _index++;
        Expect(TokenKind.LParen, "'('");
        var operand = ParseExpr();
        ExpectKeyword("AS");
        var typeToken = Current;
        if (typeToken.Kind != TokenKind.Identifier)
        {
            throw Error("expected a type name");
        }

        _index++;
        var type = typeToken.Value.ToUpperInvariant();
        int? length = null;
        switch (type)
        {
            case "DOUBLE":
                if (!Current.IsKeyword("PRECISION"))
                {
                    throw Error("expected PRECISION");
                }

                _index++;
                type = "DOUBLE PRECISION";
                break;
            case "INT":
                type = "INTEGER";
                break;
            case "CHAR" or "VARCHAR":
                if (Accept(TokenKind.LParen))
                {
                    var n = ParseUnsignedInteger("(");
                    if (n > int.MaxValue)
                    {
                        throw Error("length too large");
                    }

                    length = (int)n;
                    Expect(TokenKind.RParen, "')'");
                }

                break;
            case "SMALLINT" or "INTEGER" or "BIGINT" or "REAL" or "TIMESTAMP":
                break;
            default:
                _index--;
                throw Error("unsupported CAST target type");
        }

        Expect(TokenKind.RParen, "')'");
        return new CastExpr(operand, type, length);
    }

    private ColumnRef ParseColumnRef()
    {
        var parts = new List<Identifier> { ParseIdentifier("a column name") };
        while (Accept(TokenKind.Dot))
        {
            parts.Add(ParseIdentifier("a column name"));
        }

        return parts.Count switch
        {
            1 => new ColumnRef(null, parts[0]),
            2 => new ColumnRef(new TableName(null, parts[0]), parts[1]),
            3 => new ColumnRef(new TableName(parts[0], parts[1]), parts[2]),
            _ => throw Error("column names have at most three parts (schema.table.column)"),
        };
    }

    // ---------------------------------------------------------------- helpers

    private static bool IsIdentifierToken(Token token) =>
        token.Kind == TokenKind.DelimitedIdentifier || (token.Kind == TokenKind.Identifier && !token.IsReservedWord);

    private Identifier ParseIdentifier(string what)
    {
        var token = Current;
        if (token.Kind == TokenKind.DelimitedIdentifier)
        {
            _index++;
            return new Identifier(token.Value, Delimited: true);
        }

        if (token.Kind == TokenKind.Identifier && !token.IsReservedWord)
        {
            _index++;
            return new Identifier(token.Value);
        }

        if (token.Kind == TokenKind.Identifier)
        {
            throw Error($"expected {what} but found reserved word {token.Value.ToUpperInvariant()} (use \"{token.Value}\" to quote it)");
        }

        throw Error($"expected {what}");
    }

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _index++;
        return true;
    }

    private void Expect(TokenKind kind, string what)
    {
        if (!Accept(kind))
        {
            throw Error($"expected {what}");
        }
    }

    private bool AcceptKeyword(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            return false;
        }

        _index++;
        return true;
    }

    private void ExpectKeyword(string keyword)
    {
        if (!AcceptKeyword(keyword))
        {
            throw Error($"expected {keyword}");
        }
    }

    private AdqlSyntaxException Error(string detail)
    {
        var token = Current;
        return new AdqlSyntaxException(
            token.Line,
            token.Column,
            token.Kind == TokenKind.End ? null : token.Text,
            detail);
    }
}
