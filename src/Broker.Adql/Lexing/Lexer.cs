using System.Text;

namespace Broker.Adql;

/// <summary>Turns ADQL 2.0/2.1 text into tokens. Positions are 1-based line:column.</summary>
internal sealed class Lexer
{
    private readonly string _text;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    private Lexer(string text) => _text = text;

    /// <summary>Tokenises the whole text; the last token is always <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lexer = new Lexer(text);
        var tokens = new List<Token>();
        Token token;
        do
        {
            token = lexer.Next();
            tokens.Add(token);
        }
        while (token.Kind != TokenKind.End);

        return tokens;
    }

    private int Column => _pos - _lineStart + 1;

    private char Peek(int offset = 0) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private Token Next()
    {
        SkipTrivia();
        var line = _line;
        var column = Column;
        if (_pos >= _text.Length)
        {
            return new Token(TokenKind.End, string.Empty, string.Empty, line, column);
        }

        var c = _text[_pos];
        if (char.IsAsciiLetter(c))
        {
            return LexIdentifier(line, column);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            return LexNumber(line, column);
        }

        switch (c)
        {
            case '"':
                return LexDelimited(line, column);
            case '\'':
                return LexString(line, column);
            case ',': return Simple(TokenKind.Comma, 1, line, column);
            case '.': return Simple(TokenKind.Dot, 1, line, column);
            case '(': return Simple(TokenKind.LParen, 1, line, column);
            case ')': return Simple(TokenKind.RParen, 1, line, column);
            case ';': return Simple(TokenKind.Semicolon, 1, line, column);
            case '*': return Simple(TokenKind.Star, 1, line, column);
            case '+': return Simple(TokenKind.Plus, 1, line, column);
            case '-': return Simple(TokenKind.Minus, 1, line, column);
            case '/': return Simple(TokenKind.Slash, 1, line, column);
            case '=': return Simple(TokenKind.Eq, 1, line, column);
            case '|' when Peek(1) == '|': return Simple(TokenKind.Concat, 2, line, column);
            case '!' when Peek(1) == '=': return Simple(TokenKind.NotEq, 2, line, column);
            case '<' when Peek(1) == '>': return Simple(TokenKind.NotEq, 2, line, column);
            case '<' when Peek(1) == '=': return Simple(TokenKind.Le, 2, line, column);
            case '<': return Simple(TokenKind.Lt, 1, line, column);
            case '>' when Peek(1) == '=': return Simple(TokenKind.Ge, 2, line, column);
            case '>': return Simple(TokenKind.Gt, 1, line, column);
            default:
                throw new AdqlSyntaxException(line, column, c.ToString(), $"unexpected character '{c}'");
        }
    }

    private Token Simple(TokenKind kind, int length, int line, int column)
    {
        var text = _text.Substring(_pos, length);
        _pos += length;
        return new Token(kind, text, text, line, column);
    }

    private void SkipTrivia()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '\n' || (c == '\r' && Peek(1) != '\n'))
            {
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '-' && Peek(1) == '-')
            {
                while (_pos < _text.Length && _text[_pos] != '\n' && _text[_pos] != '\r')
                {
                    _pos++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private Token LexIdentifier(int line, int column)
    {
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        var text = _text[start.._pos];
        return new Token(TokenKind.Identifier, text, text, line, column);
    }

    private Token LexNumber(int line, int column)
    {
        var start = _pos;
        if (_text[_pos] == '0' && (Peek(1) == 'x' || Peek(1) == 'X') && char.IsAsciiHexDigit(Peek(2)))
        {
            _pos += 2;
            while (_pos < _text.Length && char.IsAsciiHexDigit(_text[_pos]))
            {
                _pos++;
            }
        }
        else
        {
            SkipDigits();
            if (Peek() == '.')
            {
                _pos++;
                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _pos++;
                }

                if (!char.IsAsciiDigit(Peek()))
                {
                    throw new AdqlSyntaxException(line, column, _text[start.._pos], "exponent needs digits");
                }

                SkipDigits();
            }
        }

        if (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_' || Peek() == '.')
        {
            while (char.IsAsciiLetterOrDigit(Peek()) || Peek() == '_' || Peek() == '.')
            {
                _pos++;
            }

            throw new AdqlSyntaxException(line, column, _text[start.._pos], "malformed number");
        }

        var text = _text[start.._pos];
        return new Token(TokenKind.Number, text, text, line, column);
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            _pos++;
        }
    }

    private Token LexString(int line, int column) => LexQuoted('\'', TokenKind.String, line, column, "unterminated string literal");

    private Token LexDelimited(int line, int column)
    {
        var token = LexQuoted('"', TokenKind.DelimitedIdentifier, line, column, "unterminated delimited identifier");
        if (token.Value.Length == 0)
        {
            throw new AdqlSyntaxException(line, column, token.Text, "empty delimited identifier");
        }

        return token;
    }

    private Token LexQuoted(char quote, TokenKind kind, int line, int column, string unterminated)
    {
        var start = _pos;
        _pos++;
        var value = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                var snippet = _text[start..Math.Min(_text.Length, start + 20)];
                throw new AdqlSyntaxException(line, column, snippet, unterminated);
            }

            var c = _text[_pos];
            if (c == quote)
            {
                if (Peek(1) == quote)
                {
                    value.Append(quote);
                    _pos += 2;
                    continue;
                }

                _pos++;
                break;
            }

            if (c == '\n' || (c == '\r' && Peek(1) != '\n'))
            {
                _line++;
                _lineStart = _pos + 1;
            }

            value.Append(c);
            _pos++;
        }

        return new Token(kind, _text[start.._pos], value.ToString(), line, column);
    }
}
