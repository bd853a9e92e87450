using System.Text;
using FhirSecurity.Core.Bulk;
using Xunit;

namespace FhirSecurity.Core.Tests.Bulk;

public sealed class NdjsonCheckTests
{
    private const string Patient = "{\"resourceType\":\"Patient\",\"id\":\"a\",\"name\":[{\"family\":\"X\"}]}";

    private static NdjsonCheck Feed(string text, bool validate, int chunk, string type = "Patient")
    {
        var check = new NdjsonCheck(type, validate);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length; i += chunk)
        {
            check.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        check.Complete();
        return check;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void LinesAreCountedWhereverTheChunksEnd(int chunk)
    {
        string text = string.Concat(Enumerable.Repeat(Patient + "\n", 5));

        Assert.Equal(5, Feed(text, validate: false, chunk).Lines);
        Assert.Equal(5, Feed(text, validate: true, chunk).Lines);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALastLineWithoutANewlineCounts(bool validate)
    {
        Assert.Equal(2, Feed(Patient + "\n" + Patient, validate, 3).Lines);
        Assert.Equal(0, Feed(string.Empty, validate, 3).Lines);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"a\"\n", "it is not JSON")]
    [InlineData("[1]\n", "it is not a JSON object")]
    [InlineData("{\"id\":\"a\"}\n", "it has no resourceType")]
    [InlineData("{\"resourceType\":\"Observation\"}\n", "it is a Observation, not a Patient")]
    [InlineData("\n", "it is empty")]
    public void ValidationNamesTheFirstBadLineAndWhatIsWrong(string bad, string problem)
    {
        string text = Patient + "\n" + Patient + "\n" + bad + Patient + "\n";

        var error = Assert.Throws<NdjsonLineException>(() => Feed(text, validate: true, 5));

        Assert.Equal(3, error.Line);
        Assert.Equal(problem, error.Problem);
    }

    [Fact]
    public void ANestedResourceTypeIsNotTheLinesType()
    {
        string line = "{\"contained\":[{\"resourceType\":\"Patient\"}],\"resourceType\":\"Observation\"}\n";

        var error = Assert.Throws<NdjsonLineException>(() => Feed(line, validate: true, 4));

        Assert.Equal("it is a Observation, not a Patient", error.Problem);
    }

    [Fact]
    public void WithoutValidationBadLinesAreOnlyCounted()
    {
        Assert.Equal(2, Feed("not json\n[1]\n", validate: false, 2).Lines);
    }

    [Fact]
    public void AProblemNeverQuotesTheLine()
    {
        const string canary = "phi-canary-1b2c";
        string text = $"{{\"resourceType\":\"Observation\",\"note\":\"{canary}\"}}\n";

        var error = Assert.Throws<NdjsonLineException>(() => Feed(text, validate: true, 16));

        Assert.DoesNotContain(canary, error.Message, StringComparison.Ordinal);
    }
}
