using System.Text;

namespace FhirSecurity.TestServer;

/// <summary>The deterministic NDJSON lines of an export file, generated one at a time (never a whole file).</summary>
internal static class BulkLines
{
    /// <summary>Line <paramref name="number"/> (from 1) of file <paramref name="file"/>, with its newline.</summary>
    public static byte[] Line(BulkFileSpec spec, int file, int number)
    {
        if (spec.CorruptLine == number)
        {
            return Encoding.UTF8.GetBytes("{\"resourceType\":\"" + spec.Type + "\",\"id\":\"broken\n");
        }

        string type = spec.WrongTypeLine == number ? (spec.Type == "Patient" ? "Observation" : "Patient") : spec.Type;
        string id = $"{spec.Type.ToLowerInvariant()}-{file}-{number}";
        string body = spec.Section == BulkFileSection.Error
            ? "{\"resourceType\":\"OperationOutcome\",\"id\":\"" + id + "\",\"issue\":[{\"severity\":\"error\","
              + "\"code\":\"processing\",\"diagnostics\":\"Resource " + number + " could not be exported\"}]"
            : "{\"resourceType\":\"" + type + "\",\"id\":\"" + id + "\"";
        int padding = spec.LineBytes - body.Length - 2;
        string line = padding > 10
            ? body + ",\"text\":\"" + new string('x', padding - 10) + "\"}\n"
            : body + "}\n";
        return Encoding.UTF8.GetBytes(line);
    }

    /// <summary>The file's size in bytes, uncompressed.</summary>
    public static long Length(BulkFileSpec spec, int file)
    {
        long total = 0;
        for (int number = 1; number <= spec.Lines; number++)
        {
            total += Line(spec, file, number).Length;
        }

        return total;
    }
}
