using System.Globalization;
using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>Thread-safe in-memory Patient store. One lock: the data is small and tests value simple over fast.</summary>
internal sealed class PatientStore(TimeProvider time)
{
    private static readonly string[] Families = ["Smith", "Jones", "García", "Müller", "Nguyen", "O'Brien", "Kowalski", "Tanaka", "Okafor", "Lindqvist"];
    private static readonly string[] Givens = ["Alice", "Bob", "Chloé", "David", "Eve", "Farah", "Goran", "Hana", "Ivan", "Jun"];
    private static readonly string[] Genders = ["female", "male", "other", "unknown"];

    private readonly object _gate = new();
    private readonly Dictionary<string, StoredPatient> _patients = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deleted = new(StringComparer.Ordinal);
    private long _sequence;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _patients.Count;
            }
        }
    }

    /// <summary>Adds deterministic patients <c>pat-0001</c>...: family names repeat every ten, so name searches page.</summary>
    public void Seed(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var patient = new JsonObject
            {
                ["resourceType"] = "Patient",
                ["active"] = true,
                ["name"] = new JsonArray(new JsonObject
                {
                    ["use"] = "official",
                    ["family"] = Families[i % Families.Length],
                    ["given"] = new JsonArray(Givens[i / Families.Length % Givens.Length]),
                }),
                ["gender"] = Genders[i % Genders.Length],
                ["birthDate"] = $"{1950 + (i % 50)}-0{1 + (i % 9)}-15",
            };
            Upsert(string.Create(CultureInfo.InvariantCulture, $"pat-{i + 1:D4}"), patient);
        }
    }

    public StoredPatient? Get(string id, out bool deleted)
    {
        lock (_gate)
        {
            deleted = _deleted.Contains(id);
            return _patients.GetValueOrDefault(id);
        }
    }

    public StoredPatient Create(JsonObject resource) => Upsert(Guid.NewGuid().ToString("N"), resource).Patient;

    public (StoredPatient Patient, bool Created) Upsert(string id, JsonObject resource)
    {
        lock (_gate)
        {
            var existing = _patients.GetValueOrDefault(id);
            var version = (existing?.VersionId ?? 0) + 1;
            var now = time.GetUtcNow();
            // resourceType, id and meta first, as FHIR JSON writers do; readers do not care, people reading tests do.
            var ordered = new JsonObject
            {
                ["resourceType"] = "Patient",
                ["id"] = id,
                ["meta"] = new JsonObject
                {
                    ["versionId"] = version.ToString(CultureInfo.InvariantCulture),
                    ["lastUpdated"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffK", CultureInfo.InvariantCulture),
                },
            };
            foreach (var (name, value) in resource)
            {
                if (name is not ("resourceType" or "id" or "meta"))
                {
                    ordered[name] = value?.DeepClone();
                }
            }

            var stored = new StoredPatient(id, existing?.Sequence ?? ++_sequence, version, now, ordered.ToJsonString(JsonResponses.WriterOptions), NamePartsOf(ordered));
            _patients[id] = stored;
            _deleted.Remove(id);
            return (stored, existing is null);
        }
    }

    public bool Delete(string id)
    {
        lock (_gate)
        {
            if (!_patients.Remove(id))
            {
                return false;
            }

            _deleted.Add(id);
            return true;
        }
    }

    /// <summary>Matches in insertion order, with the total before paging.</summary>
    public (int Total, IReadOnlyList<StoredPatient> Page) Search(Func<StoredPatient, bool> match, int offset, int count)
    {
        lock (_gate)
        {
            var all = _patients.Values.Where(match).OrderBy(p => p.Sequence).ToList();
            return (all.Count, all.Skip(offset).Take(count).ToList());
        }
    }

    private static List<string> NamePartsOf(JsonObject patient)
    {
        var parts = new List<string>();
        if (patient["name"] is not JsonArray names)
        {
            return parts;
        }

        foreach (var name in names.OfType<JsonObject>())
        {
            foreach (var field in new[] { "text", "family" })
            {
                if (name[field] is JsonValue value && value.TryGetValue<string>(out var text))
                {
                    parts.Add(text);
                }
            }

            foreach (var listField in new[] { "given", "prefix", "suffix" })
            {
                if (name[listField] is JsonArray list)
                {
                    parts.AddRange(list.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>());
                }
            }
        }

        return parts;
    }
}
