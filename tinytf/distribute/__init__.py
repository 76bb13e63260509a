"""tinytf.distribute"""
