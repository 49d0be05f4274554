namespace Broker.Adql;

/// <summary>Kinds of ADQL tokens.</summary>
internal enum TokenKind
{
    Identifier,
    DelimitedIdentifier,
    String,
    Number,
    Comma,
    Dot,
    LParen,
    RParen,
    Semicolon,
    Star,
    Plus,
    Minus,
    Slash,
    Concat,
    Eq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    End,
}

/// <summary>One token. <see cref="Text"/> is the source text; <see cref="Value"/> the identifier name or unescaped string.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, string Value, int Line, int Column)
{
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Identifier && string.Equals(Value, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsReservedWord => Kind == TokenKind.Identifier && Keywords.IsReserved(Value);
}
