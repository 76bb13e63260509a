"""``get`` / ``serialize`` / ``deserialize`` for the Keras object families (losses,
metrics, initializers, regularizers, constraints): one implementation, one table each."""


class Lookup:
    """Name and config lookup for one family, e.g. ``Lookup("loss", "keras.losses", table)``.

    ``table`` maps names (class names and aliases) to classes or functions; ``base`` is the
    family's base class, whose subclasses ``get`` instantiates when given the class itself.
    """

    def __init__(self, kind, module, table, base=None):
        self.kind, self.module, self.table, self.base = kind, module, table, base

    def _error(self, identifier):
        return ValueError(f"Could not interpret {self.kind} identifier: {identifier}")

    def serialize(self, obj):
        """A config dict for an object with ``get_config``, else the function's name."""
        if obj is None:
            return None
        if hasattr(obj, "get_config") and not isinstance(obj, type):
            return {"module": self.module, "class_name": type(obj).__name__,
                    "config": obj.get_config(), "registered_name": None}
        return getattr(obj, "__name__", obj)

    def deserialize(self, config, custom_objects=None):
        """The object named by ``config``: a name, or a dict made by ``serialize``."""
        objs = dict(self.table)
        objs.update(custom_objects or {})
        if isinstance(config, dict):
            cls = objs.get(config.get("class_name"))
            if cls is None:
                raise self._error(config)
            return cls.from_config(config.get("config", {}))
        obj = objs.get(config)
        if obj is None:
            raise self._error(config)
        return obj() if isinstance(obj, type) else obj

    def get(self, identifier):
        """None, a name, a config dict, a class of the family, or any callable."""
        if identifier is None:
            return None
        if isinstance(identifier, (str, dict)):
            return self.deserialize(identifier)
        if self.base is not None and isinstance(identifier, type) \
                and issubclass(identifier, self.base):
            return identifier()
        if callable(identifier):
            return identifier
        raise self._error(identifier)
