using Broker.VoTable;

namespace Broker.VoTable.Tests.Helpers;

/// <summary>Tables covering every datatype, used by the round-trip tests.</summary>
internal static class SampleTables
{
    public static readonly TableField[] AllTypes =
    [
        new("b", "boolean"),
        new("bit", "bit"),
        new("ub", "unsignedByte"),
        new("s", "short"),
        new("i", "int"),
        new("l", "long", Unit: "count", Ucd: "meta.number", Utype: "x:y", Description: "a <long> & \"quoted\""),
        new("c", "char", "*"),
        new("c8", "char", "8"),
        new("u", "unicodeChar", "*"),
        new("f", "float", Unit: "deg"),
        new("d", "double"),
        new("ts", "char", "*", Xtype: "timestamp"),
        new("darr", "double", "*"),
        new("iarr", "int", "3"),
        new("fc", "floatComplex"),
        new("dc", "doubleComplex"),
    ];

    public static readonly DateTime Ts = new(2024, 2, 29, 23, 59, 58, 123, DateTimeKind.Utc);

    /// <summary>Rows; the last one is all nulls.</summary>
    public static object?[][] AllTypesRows() =>
    [
        [true, true, 254L, (long)short.MinValue + 1, (long)int.MaxValue, long.MaxValue, "hello, \"world\" <&>", "abc", "ünïcødé ☃ 𝄞", 1.5, Math.PI, Ts,
            new[] { 1.0, -2.5, 1e300 }, new long[] { 1, -2, 3 }, new[] { 1.5, -0.5 }, new[] { 1e-300, 2.0 }],
        [false, false, 0L, -1L, int.MinValue + 1L, long.MinValue + 1, "x", "12345678", "a", -0.25, -1.0 / 3.0, new DateTime(1999, 12, 31, 0, 0, 0, DateTimeKind.Utc),
            new[] { 0.5 }, new long[] { 0, 0, 7 }, new[] { 0.0, 0.0 }, new[] { -1.0, 1.0 }],
        [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
    ];
}
