using Broker.Providers.Tap.Profiles;
using Broker.VoTable;

namespace Broker.Providers.Tap.Tests.Profiles;

public class ResultRowTests
{
    private static readonly TableField[] Fields = [new("a", "char"), new("B", "double"), new("c", "char")];

    [Fact]
    public void Raw_NamesAskedInAnotherOrderOrBranchThanOnTheFirstRow_StillFindTheirColumns()
    {
        var row = new ResultRow(Fields);
        string a = "a", b = "b", c = "c", missing = "zz";

        row.Set(["a1", 1.0, "c1"]);
        Assert.Equal(("a1", 1.0, "c1"), (row.String(a), row.Double(b), row.String(c))); // the sequence recorded: a, b, c

        row.Set(["a2", 2.0, "c2"]);
        Assert.Equal(("a2", 2.0, "c2"), (row.String(a), row.Double(b), row.String(c))); // on the recorded path

        row.Set(["a3", 3.0, "c3"]);
        Assert.Equal("c3", row.String(c)); // a branch skipping a and b
        Assert.Equal(("a3", 3.0), (row.String(a), row.Double(b)));
        Assert.Null(row.Raw(missing));

        row.Set(["a4", 4.0, "c4"]);
        Assert.Equal("a4", row.String(a)); // back on the path after a row that left it
        Assert.Null(row.Raw(missing));
        Assert.Equal(("c4", 4.0), (row.String(c), row.Double(b)));
        Assert.Equal(4.0, row.Double(new string('B', 1))); // another object with a name of another case
    }
}
