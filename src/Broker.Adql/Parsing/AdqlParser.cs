namespace Broker.Adql;

/// <summary>Entry point for parsing ADQL 2.0/2.1 text.</summary>
public static class AdqlParser
{
    /// <summary>Parses one query. A trailing <c>;</c> is allowed.</summary>
    /// <exception cref="AdqlSyntaxException">The text is not a valid query; carries line and column.</exception>
    public static SelectStatement Parse(string adql) => new Parser(Lexer.Tokenize(adql)).ParseQuery();

    /// <summary>Parses a standalone value or condition expression, e.g. <c>h1.level = 'L2'</c>.</summary>
    /// <exception cref="AdqlSyntaxException">The text is not a valid expression.</exception>
    public static Expr ParseExpression(string adql) => new Parser(Lexer.Tokenize(adql)).ParseStandaloneExpression();
}
