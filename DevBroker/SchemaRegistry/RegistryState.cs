namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// The registry's contents as the <c>_schemas</c> records applied in order make them: subjects and their versions,
/// schemas by id, compatibility levels. Changed only by <see cref="Apply"/>; not thread-safe (the registry's lock owns it).
/// </summary>
internal sealed class RegistryState
{
    private readonly SortedDictionary<string, SortedDictionary<int, SchemaVersion>> _subjects = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (AvroSchemaDocument Schema, int Uses)> _byId = [];
    private readonly Dictionary<string, int> _idByCanonical = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompatibilityLevel> _subjectLevels = new(StringComparer.Ordinal);
    private int _maxId;

    /// <summary>The level set with PUT /config, if any.</summary>
    public CompatibilityLevel? GlobalLevel { get; private set; }

    /// <summary>Ids are global and only grow (also past ids whose versions were deleted, while the broker runs).</summary>
    public int NextId => _maxId + 1;

    public void Apply(RegistryChange change)
    {
        switch (change)
        {
            case SchemaVersionChange version:
                Remove(version.Subject, version.Version);
                if (version.Value is { } value)
                {
                    Add(value);
                }

                break;
            case ConfigChange { Subject: null } global:
                GlobalLevel = global.Level;
                break;
            case ConfigChange { Subject: { } subject, Level: { } level }:
                _subjectLevels[subject] = level;
                break;
            case ConfigChange { Subject: { } subject }:
                _subjectLevels.Remove(subject);
                break;
        }
    }

    /// <summary>Forgets everything (the topic was deleted and is read again from its start).</summary>
    public void Clear()
    {
        _subjects.Clear();
        _byId.Clear();
        _idByCanonical.Clear();
        _subjectLevels.Clear();
        GlobalLevel = null;
        _maxId = 0;
    }

    /// <summary>Subjects with a live version (or any version, soft-deleted ones included), in name order.</summary>
    public IReadOnlyList<string> Subjects(bool includeDeleted) =>
        [.. _subjects.Where(s => s.Value.Values.Any(v => includeDeleted || !v.Deleted)).Select(s => s.Key)];

    /// <summary>A subject's versions in order, soft-deleted ones only when asked for.</summary>
    public IReadOnlyList<SchemaVersion> Versions(string subject, bool includeDeleted) =>
        _subjects.TryGetValue(subject, out var versions) ? [.. versions.Values.Where(v => includeDeleted || !v.Deleted)] : [];

    /// <summary>The highest version number the subject ever had (soft-deleted included); the next one follows it.</summary>
    public int LastVersionNumber(string subject) =>
        _subjects.TryGetValue(subject, out var versions) && versions.Count > 0 ? versions.Keys.Max() : 0;

    public AvroSchemaDocument? SchemaOf(int id) => _byId.TryGetValue(id, out var entry) ? entry.Schema : null;

    /// <summary>The id this schema already has under any subject, so one schema keeps one id.</summary>
    public int? IdOf(AvroSchemaDocument schema) => _idByCanonical.TryGetValue(schema.Canonical, out var id) ? id : null;

    /// <summary>Every (subject, version) that holds the id.</summary>
    public IReadOnlyList<SchemaVersion> UsesOf(int id, bool includeDeleted) =>
        [.. _subjects.Values.SelectMany(v => v.Values).Where(v => v.Id == id && (includeDeleted || !v.Deleted))];

    /// <summary>The subject's own level, if set.</summary>
    public CompatibilityLevel? SubjectLevel(string subject) => _subjectLevels.TryGetValue(subject, out var level) ? level : null;

    /// <summary>The level a registration under the subject is checked with.</summary>
    public CompatibilityLevel EffectiveLevel(string subject) => SubjectLevel(subject) ?? GlobalLevel ?? CompatibilityLevels.Default;

    private void Add(SchemaVersion value)
    {
        if (!_subjects.TryGetValue(value.Subject, out var versions))
        {
            _subjects[value.Subject] = versions = [];
        }

        versions[value.Version] = value;
        _byId[value.Id] = (value.Schema, _byId.TryGetValue(value.Id, out var entry) ? entry.Uses + 1 : 1);
        _idByCanonical.TryAdd(value.Schema.Canonical, value.Id);
        _maxId = Math.Max(_maxId, value.Id);
    }

    private void Remove(string subject, int version)
    {
        if (!_subjects.TryGetValue(subject, out var versions) || !versions.Remove(version, out var removed))
        {
            return;
        }

        if (versions.Count == 0)
        {
            _subjects.Remove(subject);
        }

        var (schema, uses) = _byId[removed.Id];
        if (uses > 1)
        {
            _byId[removed.Id] = (schema, uses - 1);
            return;
        }

        _byId.Remove(removed.Id);
        _idByCanonical.Remove(schema.Canonical);
    }
}
