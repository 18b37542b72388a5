using InventoryOrleans.DevBroker.Cluster;
using Microsoft.Extensions.Logging;

namespace InventoryOrleans.DevBroker.SchemaRegistry;

/// <summary>
/// The schema registry's operations, Confluent's semantics. The state is whatever the <c>_schemas</c> records make of it:
/// every operation first reads what the log has gained since the last one, and a write appends its record and then
/// reads it back like any other — so what is answered is what is durable, and a restart rebuilds the same state. One lock
/// serializes the operations (registrations are rare; the log read under it is small).
/// </summary>
public sealed partial class Registry
{
    private readonly object _lock = new();
    private readonly SchemasTopic _topic;
    private readonly RegistryState _state = new();
    private readonly ILogger _logger;
    private Guid _topicId;
    private long _nextOffset;

    private Registry(SchemasTopic topic, ILogger logger)
    {
        _topic = topic;
        _logger = logger;
    }

    /// <summary>Opens (creating it when missing) the broker's <c>_schemas</c> topic and reads it whole.</summary>
    public static Registry Open(ClusterState cluster, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var registry = new Registry(new SchemasTopic(cluster, time ?? TimeProvider.System), loggerFactory.CreateLogger<Registry>());
        lock (registry._lock)
        {
            registry.CatchUp();
            Log.Recovered(registry._logger, registry._state.Subjects(includeDeleted: true).Count, registry._nextOffset);
        }

        return registry;
    }

    public IReadOnlyList<string> Subjects(bool includeDeleted)
    {
        lock (_lock)
        {
            CatchUp();
            return _state.Subjects(includeDeleted);
        }
    }

    public RegistryOutcome<IReadOnlyList<int>> Versions(string subject, bool includeDeleted)
    {
        lock (_lock)
        {
            CatchUp();
            var versions = _state.Versions(subject, includeDeleted);
            return versions.Count == 0 ? RegistryError.SubjectNotFound(subject) : versions.Select(v => v.Version).ToList();
        }
    }

    /// <summary>One version, or the latest live one (latest of all with <paramref name="includeDeleted"/>).</summary>
    public RegistryOutcome<SchemaVersion> Version(string subject, string version, bool includeDeleted)
    {
        var id = VersionId.Parse(version);
        if (id.Error is { } invalid)
        {
            return invalid;
        }

        lock (_lock)
        {
            CatchUp();
            var versions = _state.Versions(subject, includeDeleted);
            if (versions.Count == 0)
            {
                return RegistryError.SubjectNotFound(subject);
            }

            var found = id.Value.IsLatest ? versions[^1] : versions.FirstOrDefault(v => v.Version == id.Value.Number);
            return found is null ? RegistryError.VersionNotFound(id.Value.Number) : found;
        }
    }

    /// <summary>A schema by its global id; soft-deleted versions keep theirs readable (data written with it must stay
    /// decodable).</summary>
    public RegistryOutcome<AvroSchemaDocument> SchemaById(int id)
    {
        lock (_lock)
        {
            CatchUp();
            return _state.SchemaOf(id) is { } schema ? schema : RegistryError.SchemaNotFound(id);
        }
    }

    public RegistryOutcome<IReadOnlyList<SchemaVersion>> VersionsOfId(int id, bool includeDeleted)
    {
        lock (_lock)
        {
            CatchUp();
            return _state.SchemaOf(id) is null ? RegistryError.SchemaNotFound(id) : new RegistryOutcome<IReadOnlyList<SchemaVersion>>(_state.UsesOf(id, includeDeleted), null);
        }
    }

    /// <summary>Registers a schema under a subject and gives its id: the same schema again gives the same version's id;
    /// a new one must pass the subject's compatibility level (409 when it does not) and becomes the next version, with
    /// the id the schema already has anywhere in the registry or a new one.</summary>
    public RegistryOutcome<int> Register(string subject, SchemaRequest? request)
    {
        var parsed = RegistryRequests.Schema(request);
        if (parsed.Error is { } invalid)
        {
            return invalid;
        }

        var schema = parsed.Value!;
        lock (_lock)
        {
            CatchUp();
            var live = _state.Versions(subject, includeDeleted: false);
            if (live.FirstOrDefault(v => v.Schema.Canonical == schema.Canonical) is { } existing)
            {
                return existing.Id;
            }

            var level = _state.EffectiveLevel(subject);
            var problems = CompatibilityProblems(schema, Against(live, level), level);
            if (problems.Count > 0)
            {
                return RegistryError.Incompatible(subject, problems);
            }

            var registered = new SchemaVersion(subject, _state.LastVersionNumber(subject) + 1, _state.IdOf(schema) ?? _state.NextId, schema, Deleted: false);
            if (Write(SchemaRecords.SchemaKey(subject, registered.Version), SchemaRecords.SchemaValue(registered)) is { } failed)
            {
                return failed;
            }

            Log.Registered(_logger, subject, registered.Version, registered.Id);
            return registered.Id;
        }
    }

    /// <summary>The version of the subject that holds this schema (the latest such), or 40401 / 40403.</summary>
    public RegistryOutcome<SchemaVersion> Lookup(string subject, SchemaRequest? request, bool includeDeleted)
    {
        var parsed = RegistryRequests.Schema(request);
        if (parsed.Error is { } invalid)
        {
            return invalid;
        }

        lock (_lock)
        {
            CatchUp();
            var versions = _state.Versions(subject, includeDeleted);
            if (versions.Count == 0)
            {
                return RegistryError.SubjectNotFound(subject);
            }

            return versions.LastOrDefault(v => v.Schema.Canonical == parsed.Value!.Canonical) is { } found ? found : RegistryError.SchemaNotFound();
        }
    }

    /// <summary>Why the schema is not compatible, by the subject's level, with one version (<paramref name="version"/>;
    /// "latest" of a subject without versions is compatible), or with what a registration would be checked against
    /// (null); empty when it is.</summary>
    public RegistryOutcome<IReadOnlyList<string>> CheckCompatibility(string subject, string? version, SchemaRequest? request)
    {
        VersionId? id = null;
        if (version is not null)
        {
            var parsedVersion = VersionId.Parse(version);
            if (parsedVersion.Error is { } invalidVersion)
            {
                return invalidVersion;
            }

            id = parsedVersion.Value;
        }

        var parsed = RegistryRequests.Schema(request);
        if (parsed.Error is { } invalid)
        {
            return invalid;
        }

        lock (_lock)
        {
            CatchUp();
            var live = _state.Versions(subject, includeDeleted: false);
            var level = _state.EffectiveLevel(subject);
            IEnumerable<SchemaVersion> against;
            if (id is not { } one)
            {
                against = Against(live, level);
            }
            else if (one.IsLatest)
            {
                against = live.Count == 0 ? [] : [live[^1]];
            }
            else
            {
                var found = live.FirstOrDefault(v => v.Version == one.Number);
                if (found is null)
                {
                    return RegistryError.VersionNotFound(one.Number);
                }

                against = [found];
            }

            return new RegistryOutcome<IReadOnlyList<string>>(CompatibilityProblems(parsed.Value!, against, level), null);
        }
    }

    public CompatibilityLevel GlobalLevel()
    {
        lock (_lock)
        {
            CatchUp();
            return _state.GlobalLevel ?? CompatibilityLevels.Default;
        }
    }

    /// <summary>The subject's own level; without one 40408, or the global level when <paramref name="defaultToGlobal"/>.</summary>
    public RegistryOutcome<CompatibilityLevel> SubjectLevel(string subject, bool defaultToGlobal)
    {
        lock (_lock)
        {
            CatchUp();
            if (_state.SubjectLevel(subject) is { } own)
            {
                return own;
            }

            return defaultToGlobal ? _state.GlobalLevel ?? CompatibilityLevels.Default : RegistryError.SubjectLevelNotConfigured(subject);
        }
    }

    /// <summary>Sets the level of a subject, or the global one when <paramref name="subject"/> is null.</summary>
    public RegistryOutcome<CompatibilityLevel> SetLevel(string? subject, ConfigRequest? request)
    {
        if (!CompatibilityLevels.TryParse(request?.Compatibility, out var level))
        {
            return RegistryError.InvalidCompatibilityLevel();
        }

        lock (_lock)
        {
            CatchUp();
            if (Write(SchemaRecords.ConfigKey(subject), SchemaRecords.ConfigValue(level)) is { } failed)
            {
                return failed;
            }

            Log.LevelSet(_logger, subject ?? "(global)", level.ToWire());
            return level;
        }
    }

    /// <summary>Removes the subject's own level (the global one applies again) and gives the one removed.</summary>
    public RegistryOutcome<CompatibilityLevel> DeleteSubjectLevel(string subject)
    {
        lock (_lock)
        {
            CatchUp();
            if (_state.SubjectLevel(subject) is not { } own)
            {
                return RegistryError.SubjectLevelNotConfigured(subject);
            }

            return Write(SchemaRecords.ConfigKey(subject), null) is { } failed ? failed : own;
        }
    }

    /// <summary>Soft-deletes every live version of the subject, or with <paramref name="permanent"/> removes the
    /// soft-deleted ones (and the subject's level) for good; gives the versions deleted.</summary>
    public RegistryOutcome<IReadOnlyList<int>> DeleteSubject(string subject, bool permanent)
    {
        lock (_lock)
        {
            CatchUp();
            var all = _state.Versions(subject, includeDeleted: true);
            if (all.Count == 0)
            {
                return RegistryError.SubjectNotFound(subject);
            }

            var live = all.Where(v => !v.Deleted).ToList();
            if (!permanent && live.Count == 0)
            {
                return RegistryError.SubjectSoftDeleted(subject);
            }

            if (permanent && live.Count > 0)
            {
                return RegistryError.SubjectNotSoftDeleted(subject);
            }

            foreach (var version in permanent ? all : live)
            {
                var value = permanent ? null : SchemaRecords.SchemaValue(version with { Deleted = true });
                if (Write(SchemaRecords.SchemaKey(subject, version.Version), value) is { } failed)
                {
                    return failed;
                }
            }

            if (permanent && _state.SubjectLevel(subject) is not null && Write(SchemaRecords.ConfigKey(subject), null) is { } levelFailed)
            {
                return levelFailed;
            }

            Log.SubjectDeleted(_logger, subject, permanent);
            return (permanent ? all : live).Select(v => v.Version).ToList();
        }
    }

    // BACKWARD, FORWARD, FULL: the latest live version; their _TRANSITIVE forms: every live version; NONE: none.
    private static IEnumerable<SchemaVersion> Against(IReadOnlyList<SchemaVersion> live, CompatibilityLevel level) =>
        level == CompatibilityLevel.None || live.Count == 0 ? []
        : level.IsTransitive() ? live.Reverse()
        : [live[^1]];

    private static List<string> CompatibilityProblems(AvroSchemaDocument candidate, IEnumerable<SchemaVersion> against, CompatibilityLevel level)
    {
        var problems = new List<string>();
        foreach (var earlier in against)
        {
            if (level.ChecksBackward())
            {
                problems.AddRange(AvroResolution.Problems(candidate.Schema, earlier.Schema.Schema)
                    .Select(p => $"reading data written with version {earlier.Version} (BACKWARD) at {p}"));
            }

            if (level.ChecksForward())
            {
                problems.AddRange(AvroResolution.Problems(earlier.Schema.Schema, candidate.Schema)
                    .Select(p => $"version {earlier.Version} reading data written with the new schema (FORWARD) at {p}"));
            }
        }

        return problems;
    }

    // Reads what _schemas gained since the last read and applies it; a topic deleted and created again is read afresh.
    private void CatchUp()
    {
        var topic = _topic.Open();
        if (topic.Id != _topicId)
        {
            _state.Clear();
            _topicId = topic.Id;
            _nextOffset = 0;
        }

        var (records, next) = _topic.ReadFrom(topic, _nextOffset);
        foreach (var record in records)
        {
            if (SchemaRecords.Parse(record) is { } change)
            {
                _state.Apply(change);
            }
        }

        _nextOffset = next;
    }

    private RegistryError? Write(byte[] key, byte[]? value)
    {
        try
        {
            _topic.Append(_topic.Open(), key, value);
        }
        catch (IOException ex)
        {
            Log.WriteFailed(_logger, ex);
            return RegistryError.StoreError(ex.Message);
        }

        CatchUp();
        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry read {Subjects} subjects from _schemas (up to offset {Offset})")]
        public static partial void Recovered(ILogger logger, int subjects, long offset);

        [LoggerMessage(Level = LogLevel.Information, Message = "Schema {Id} registered as version {Version} of subject {Subject}")]
        public static partial void Registered(ILogger logger, string subject, int version, int id);

        [LoggerMessage(Level = LogLevel.Information, Message = "Compatibility of {Subject} set to {Level}")]
        public static partial void LevelSet(ILogger logger, string subject, string level);

        [LoggerMessage(Level = LogLevel.Information, Message = "Subject {Subject} deleted (permanent: {Permanent})")]
        public static partial void SubjectDeleted(ILogger logger, string subject, bool permanent);

        [LoggerMessage(Level = LogLevel.Error, Message = "Writing to _schemas failed")]
        public static partial void WriteFailed(ILogger logger, Exception exception);
    }
}
