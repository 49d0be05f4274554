using System.Collections;

namespace Broker.VoTable.Tests.Helpers;

internal static class RowAssert
{
    /// <summary>Compares expected (writer input) with actual (reader output) values, normalising CLR types.</summary>
    public static void Equal(object?[] expected, object?[] actual, string context = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) CellEqual(expected[i], actual[i], $"{context} column {i}");
    }

    public static void CellEqual(object? e, object? a, string where)
    {
        switch (e)
        {
            case null:
                Assert.True(a is null, $"{where}: expected null, got {a}");
                return;
            case double d:
                Assert.True(a is double, $"{where}: expected double, got {a?.GetType()}");
                Assert.Equal(d, (double)a!);
                return;
            case float f:
                Assert.Equal(f, (float)(double)a!);
                return;
            case int or short or byte:
                Assert.Equal(Convert.ToInt64(e), Assert.IsType<long>(a));
                return;
            case string or long or bool or DateTime:
                Assert.True(Equals(e, a), $"{where}: expected {e} ({e.GetType().Name}), got {a} ({a?.GetType().Name})");
                if (e is DateTime) Assert.Equal(DateTimeKind.Utc, ((DateTime)a!).Kind);
                return;
            case IList list:
                var al = Assert.IsAssignableFrom<IList>(a);
                Assert.Equal(list.Count, al.Count);
                for (var k = 0; k < list.Count; k++) CellEqual(list[k], al[k], $"{where}[{k}]");
                return;
            default:
                Assert.Equal(e, a);
                return;
        }
    }
}
