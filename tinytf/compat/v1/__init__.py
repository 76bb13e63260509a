"""tinytf.compat.v1"""
