using System.Text;
using System.Text.Json;

namespace FhirSecurity.Core.Bulk;

/// <summary>
/// Counts the lines of an NDJSON file as its bytes go by, and with validation checks that each line is one JSON
/// object whose <c>resourceType</c> is the file's type. Chunks may end inside a line; only a line being checked is
/// kept, never the file.
/// </summary>
internal sealed class NdjsonCheck
{
    private static readonly byte[] ResourceTypeName = Encoding.UTF8.GetBytes("resourceType");
    private readonly string _type;
    private readonly bool _validate;
    private byte[] _pending = [];
    private int _pendingLength;
    private bool _lastWasNewline = true;

    /// <summary>Starts a check of a file of <paramref name="type"/> resources.</summary>
    public NdjsonCheck(string type, bool validate)
    {
        _type = type;
        _validate = validate;
    }

    /// <summary>The lines seen so far (a last line without a newline counts once <see cref="Complete"/>d).</summary>
    public long Lines { get; private set; }

    /// <summary>Takes the next bytes of the file.</summary>
    /// <exception cref="NdjsonLineException">A line is not a resource of the file's type (with validation).</exception>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty)
        {
            return;
        }

        if (!_validate)
        {
            Lines += chunk.Count((byte)'\n');
            _lastWasNewline = chunk[^1] == (byte)'\n';
            return;
        }

        while (!chunk.IsEmpty)
        {
            int end = chunk.IndexOf((byte)'\n');
            if (end < 0)
            {
                Keep(chunk);
                _lastWasNewline = false;
                return;
            }

            ReadOnlySpan<byte> line = chunk[..end];
            if (_pendingLength > 0)
            {
                Keep(line);
                line = _pending.AsSpan(0, _pendingLength);
            }

            Lines++;
            CheckLine(line);
            _pendingLength = 0;
            chunk = chunk[(end + 1)..];
            _lastWasNewline = true;
        }
    }

    /// <summary>Counts and checks a last line that had no newline.</summary>
    public void Complete()
    {
        if (_lastWasNewline)
        {
            return;
        }

        Lines++;
        if (_validate)
        {
            CheckLine(_pending.AsSpan(0, _pendingLength));
        }

        _pendingLength = 0;
        _lastWasNewline = true;
    }

    private void Keep(ReadOnlySpan<byte> part)
    {
        if (_pendingLength + part.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + part.Length, Math.Max(4096, _pending.Length * 2)));
        }

        part.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += part.Length;
    }

    private void CheckLine(ReadOnlySpan<byte> line)
    {
        if (line.TrimEnd((byte)'\r').Trim((byte)' ').IsEmpty)
        {
            throw new NdjsonLineException(Lines, "it is empty");
        }

        string? type = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new NdjsonLineException(Lines, "it is not a JSON object");
            }

            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName
                    && reader.ValueTextEquals(ResourceTypeName))
                {
                    reader.Read();
                    type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            throw new NdjsonLineException(Lines, "it is not JSON");
        }

        if (type is null)
        {
            throw new NdjsonLineException(Lines, "it has no resourceType");
        }

        if (type != _type)
        {
            throw new NdjsonLineException(Lines, $"it is a {type}, not a {_type}");
        }
    }
}

/// <summary>A line of an NDJSON file that is not what the manifest says (its content is not repeated: PHI).</summary>
internal sealed class NdjsonLineException(long line, string problem) : Exception($"line {line}: {problem}")
{
    /// <summary>The line's number, from 1.</summary>
    public long Line { get; } = line;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}
