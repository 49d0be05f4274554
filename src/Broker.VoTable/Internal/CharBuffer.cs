namespace Broker.VoTable;

/// <summary>A reusable, growable char buffer.</summary>
internal sealed class CharBuffer
{
    private char[] _chars = new char[256];

    public int Length { get; private set; }

    public ReadOnlySpan<char> Span => _chars.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public Span<char> GetSpan(int sizeHint)
    {
        if (_chars.Length - Length < sizeHint) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + sizeHint));
        return _chars.AsSpan(Length);
    }

    public void Advance(int count) => Length += count;

    public void Append(ReadOnlySpan<char> s)
    {
        s.CopyTo(GetSpan(s.Length));
        Length += s.Length;
    }

    public void AppendChar(char c)
    {
        GetSpan(1)[0] = c;
        Length++;
    }
}
