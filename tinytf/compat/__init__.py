"""tinytf.compat"""
