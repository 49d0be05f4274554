namespace Broker.Adql;

/// <summary>Finds ADQL geometry function calls (POINT, CIRCLE, CONTAINS …) in query text, with their position.</summary>
public static class GeometryCalls
{
    /// <summary>The first geometry function called in <paramref name="adql"/> (a parsed query), with its 1-based line and column; null when none.</summary>
    public static (string Name, int Line, int Column)? FindFirst(string adql)
    {
        var tokens = Lexer.Tokenize(adql);
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.Identifier && tokens[i + 1].Kind == TokenKind.LParen && Functions.IsGeometry(t.Value.ToUpperInvariant()))
                return (t.Value.ToUpperInvariant(), t.Line, t.Column);
        }
        return null;
    }
}
