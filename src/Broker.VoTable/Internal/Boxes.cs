namespace Broker.VoTable;

/// <summary>Cached boxes for common values, to avoid per-cell allocations.</summary>
internal static class Boxes
{
    public static readonly object True = true;
    public static readonly object False = false;
    private const int Min = -128, Max = 1023;
    private static readonly object[] Longs = CreateLongs();

    private static object[] CreateLongs()
    {
        var a = new object[Max - Min + 1];
        for (var i = 0; i < a.Length; i++) a[i] = (long)(i + Min);
        return a;
    }

    public static object Bool(bool value) => value ? True : False;

    public static object Long(long value) => value is >= Min and <= Max ? Longs[value - Min] : value;
}
