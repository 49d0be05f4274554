namespace Broker.Adql;

/// <summary>Finds ADQL geometry function calls (POINT, CIRCLE, CONTAINS …) in query text, with their position.</summary>
public static class GeometryCalls
{
    /// <summary>A name in the query text with its 1-based line and column.</summary>
    public readonly record struct Located(string Name, int Line, int Column);

    /// <summary>An outermost geometry call and the column names used in its arguments (the last part of a qualified name).</summary>
    public sealed record Call(Located Function, IReadOnlyList<Located> Columns);

    /// <summary>Every outermost geometry call of <paramref name="adql"/> (a parsed query), in text order.</summary>
    public static IReadOnlyList<Call> FindAll(string adql)
    {
        var tokens = Lexer.Tokenize(adql);
        var calls = new List<Call>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!IsGeometryCall(tokens, i)) continue;
            var columns = new List<Located>();
            var depth = 0;
            var j = i + 1;
            for (; j < tokens.Count; j++)
            {
                var t = tokens[j];
                if (t.Kind == TokenKind.LParen) depth++;
                else if (t.Kind == TokenKind.RParen && --depth == 0) break;
                else if (IsColumnName(tokens, j)) columns.Add(new Located(t.Value, t.Line, t.Column));
            }
            var name = tokens[i];
            calls.Add(new Call(new Located(name.Value.ToUpperInvariant(), name.Line, name.Column), columns));
            i = j;
        }
        return calls;
    }

    private static bool IsGeometryCall(List<Token> tokens, int i) =>
        tokens[i].Kind == TokenKind.Identifier && tokens[i + 1].Kind == TokenKind.LParen && Functions.IsGeometry(tokens[i].Value.ToUpperInvariant());

    /// <summary>An identifier that names a column: not a function, not a qualifier before a dot, not a reserved word.</summary>
    private static bool IsColumnName(List<Token> tokens, int j)
    {
        var t = tokens[j];
        var next = j + 1 < tokens.Count ? tokens[j + 1].Kind : TokenKind.End;
        if (next is TokenKind.LParen or TokenKind.Dot) return false;
        return t.Kind == TokenKind.DelimitedIdentifier || t.Kind == TokenKind.Identifier && !t.IsReservedWord;
    }
}
