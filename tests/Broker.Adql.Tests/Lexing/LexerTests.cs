namespace Broker.Adql.Tests.Lexing;

public class LexerTests
{
    private static List<Token> Lex(string text) => Lexer.Tokenize(text);

    [Fact]
    public void Tokenize_RegularIdentifier_KeepsSpelling()
    {
        var tokens = Lex("Begin_Time2");

        Assert.Equal(TokenKind.Identifier, tokens[0].Kind);
        Assert.Equal("Begin_Time2", tokens[0].Value);
        Assert.Equal(TokenKind.End, tokens[1].Kind);
    }

    [Fact]
    public void Tokenize_DelimitedIdentifier_UnescapesDoubledQuotes()
    {
        var token = Lex("\"My \"\"odd\"\" Col\"")[0];

        Assert.Equal(TokenKind.DelimitedIdentifier, token.Kind);
        Assert.Equal("My \"odd\" Col", token.Value);
    }

    [Fact]
    public void Tokenize_StringLiteral_UnescapesDoubledQuotes()
    {
        var token = Lex("'O''Brien -- not a comment'")[0];

        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal("O'Brien -- not a comment", token.Value);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("1.5")]
    [InlineData(".5")]
    [InlineData("1e-3")]
    [InlineData("1.5E+10")]
    [InlineData("7.")]
    [InlineData("0x1F")]
    public void Tokenize_NumberForms_SingleNumberToken(string text)
    {
        var tokens = Lex(text);

        Assert.Equal(2, tokens.Count);
        Assert.Equal(TokenKind.Number, tokens[0].Kind);
        Assert.Equal(text, tokens[0].Text);
    }

    [Fact]
    public void Tokenize_Operators_ProduceExpectedKinds()
    {
        var kinds = Lex("= <> != < <= > >= + - * / || , . ( ) ;").Select(t => t.Kind).ToArray();

        Assert.Equal(
            new[]
            {
                TokenKind.Eq, TokenKind.NotEq, TokenKind.NotEq, TokenKind.Lt, TokenKind.Le, TokenKind.Gt, TokenKind.Ge,
                TokenKind.Plus, TokenKind.Minus, TokenKind.Star, TokenKind.Slash, TokenKind.Concat, TokenKind.Comma,
                TokenKind.Dot, TokenKind.LParen, TokenKind.RParen, TokenKind.Semicolon, TokenKind.End,
            },
            kinds);
    }

    [Fact]
    public void Tokenize_AdjacentOperatorsWithoutSpaces_SplitCorrectly()
    {
        var kinds = Lex("a<=-1").Select(t => t.Kind).ToArray();

        Assert.Equal(new[] { TokenKind.Identifier, TokenKind.Le, TokenKind.Minus, TokenKind.Number, TokenKind.End }, kinds);
    }

    [Fact]
    public void Tokenize_LineComment_IsSkipped()
    {
        var tokens = Lex("SELECT -- the columns\n  x");

        Assert.Equal(new[] { "SELECT", "x", string.Empty }, tokens.Select(t => t.Text).ToArray());
    }

    [Fact]
    public void Tokenize_MultiLineText_ReportsLineAndColumn()
    {
        var tokens = Lex("SELECT a\r\n  FROM t\n WHERE");

        Assert.Equal((1, 1), (tokens[0].Line, tokens[0].Column));
        Assert.Equal((1, 8), (tokens[1].Line, tokens[1].Column));
        Assert.Equal((2, 3), (tokens[2].Line, tokens[2].Column));
        Assert.Equal((2, 8), (tokens[3].Line, tokens[3].Column));
        Assert.Equal((3, 2), (tokens[4].Line, tokens[4].Column));
    }

    [Fact]
    public void Tokenize_KeywordInAnyCase_IsKeyword()
    {
        var token = Lex("sElEcT")[0];

        Assert.True(token.IsKeyword("SELECT"));
        Assert.True(token.IsReservedWord);
    }

    [Fact]
    public void Tokenize_UnterminatedString_ThrowsAtOpeningQuote()
    {
        var ex = Assert.Throws<AdqlSyntaxException>(() => Lex("a = 'abc"));

        Assert.Equal((1, 5), (ex.Line, ex.Column));
        Assert.Contains("unterminated string", ex.Message);
    }

    [Fact]
    public void Tokenize_UnexpectedCharacter_ThrowsWithPosition()
    {
        var ex = Assert.Throws<AdqlSyntaxException>(() => Lex("SELECT\n  a # b"));

        Assert.Equal((2, 5), (ex.Line, ex.Column));
        Assert.StartsWith("Syntax error at 2:5 near \"#\"", ex.Message);
    }

    [Theory]
    [InlineData("1e")]
    [InlineData("12abc")]
    [InlineData("1.2.3")]
    public void Tokenize_MalformedNumber_Throws(string text)
    {
        var ex = Assert.Throws<AdqlSyntaxException>(() => Lex(text));

        Assert.Equal(1, ex.Column);
    }

    [Fact]
    public void Tokenize_EmptyDelimitedIdentifier_Throws()
    {
        Assert.Throws<AdqlSyntaxException>(() => Lex("SELECT \"\" FROM t"));
    }

    [Fact]
    public void Tokenize_IdentifierStartingWithUnderscore_Throws()
    {
        Assert.Throws<AdqlSyntaxException>(() => Lex("_x"));
    }
}
