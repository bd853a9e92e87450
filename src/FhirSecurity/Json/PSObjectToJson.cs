using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.Json;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Json;

/// <summary>
/// What a user passes as -Body, as JSON text: JSON text as it is; hashtables, ordered dictionaries and
/// PSCustomObjects (including resources this module returned) as JSON objects; lists as arrays. An object that
/// cannot be written so (it refers to itself, holds NaN, a property getter throws) is <c>FhirBodyNotConvertible</c>,
/// about that object only, so a pipeline goes on with the next one.
/// </summary>
internal static class PSObjectToJson
{
    private const int MaxDepth = 64;

    public static string Convert(object body)
    {
        object? value = body is PSObject wrapped ? wrapped.BaseObject : body;
        if (value is string text)
        {
            return text;
        }

        using var stream = new MemoryStream();
        try
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                Write(writer, body, 0);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException
                                   or (RuntimeException and not PipelineStoppedException))
        {
            // The error is about this input, with it as the target, so the pipeline goes on with the next one.
            throw new FhirSecurityException(
                ErrorIds.FhirBodyNotConvertible,
                FailureCategory.InvalidArgument,
                $"The request body could not be written as JSON: {ex.Message} Nothing was sent. Pass a resource"
                + " object, a hashtable or JSON text.",
                body,
                ex);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"it nests deeper than {MaxDepth} levels; does it refer to itself?");
        }

        PSObject? wrapper = value as PSObject;
        object? raw = wrapper?.BaseObject ?? value;
        switch (raw)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case char c:
                writer.WriteStringValue(c.ToString());
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or sbyte or uint or ulong or ushort:
                writer.WriteRawValue(System.Convert.ToString(raw, CultureInfo.InvariantCulture)!);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case double or float:
                double number = System.Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                string shown = number.ToString(CultureInfo.InvariantCulture);
                writer.WriteNumberValue(double.IsFinite(number)
                    ? number
                    : throw new ArgumentException($"it holds the number {shown}, which JSON cannot hold."));
                break;
            case DateTime dt:
                string format = dt.TimeOfDay == TimeSpan.Zero && dt.Kind == DateTimeKind.Unspecified
                    ? "yyyy-MM-dd"
                    : "yyyy-MM-ddTHH:mm:ssK";
                writer.WriteStringValue(dt.ToString(format, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case Uri u:
                writer.WriteStringValue(u.OriginalString);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(entry.Key.ToString()!);
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (object? item in list)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteProperties(writer, wrapper ?? PSObject.AsPSObject(raw), depth);
                break;
        }
    }

    private static void WriteProperties(Utf8JsonWriter writer, PSObject item, int depth)
    {
        writer.WriteStartObject();
        foreach (PSPropertyInfo property in item.Properties)
        {
            if (property.IsGettable)
            {
                writer.WritePropertyName(property.Name);
                Write(writer, property.Value, depth + 1);
            }
        }

        writer.WriteEndObject();
    }
}
